import { scaledClock } from '../../../core/kernel/index.js';
import {
  type BarHistory,
  findInstrument,
  type Instrument,
  type MarketFeed,
  MarketSimulator,
  SIM_INSTRUMENTS,
} from '../../../core/market-data/index.js';
import { AlpacaFeed } from './alpaca/alpaca-feed.js';
import { AlpacaRestClient } from './alpaca/rest-client.js';
import { SimHistoryPool } from './sim/history-pool.js';
import { SimFeed } from './sim/sim-feed.js';
import type { Config } from '../../config/config.js';
import type { UsageMeter } from '../../ops/usage/usage-meter.js';

/** A market data source: its live feed, its history, the instruments it carries. */
export interface MarketProvider {
  feed: MarketFeed;
  history: BarHistory;
  instruments: readonly Instrument[];
  now: () => number;
  /** How long a minute's bar waits for late trades before it closes. */
  closeDelayMs: number;
}

/**
 * Symbols streamed from Alpaca when MARKET_SYMBOLS is unset: 30, the free IEX plan's limit for
 * trades and quotes.
 */
export const DEFAULT_ALPACA_SYMBOLS = [
  'AAPL',
  'MSFT',
  'NVDA',
  'AMZN',
  'GOOGL',
  'META',
  'TSLA',
  'AVGO',
  'JPM',
  'V',
  'UNH',
  'XOM',
  'JNJ',
  'WMT',
  'MA',
  'PG',
  'HD',
  'COST',
  'KO',
  'PEP',
  'BAC',
  'NFLX',
  'AMD',
  'CRM',
  'INTC',
  'DIS',
  'CVX',
  'SPY',
  'QQQ',
  'IWM',
] as const;

/** Builds the provider that MARKET_PROVIDER names. */
export function createMarketProvider(config: Config, usage?: UsageMeter): MarketProvider {
  const { market } = config;
  if (market.provider === 'alpaca' && market.alpaca) {
    const { alpaca } = market;
    const symbols = market.symbols ?? [...DEFAULT_ALPACA_SYMBOLS];
    const rest = new AlpacaRestClient({
      baseUrl: alpaca.dataUrl,
      keyId: alpaca.keyId,
      secretKey: alpaca.secretKey,
      feed: alpaca.feed,
      ...(usage && { usage }),
    });
    const feed = new AlpacaFeed({
      feed: alpaca.feed,
      rest,
      symbols,
      stream: {
        url: `${alpaca.streamUrl.replace(/\/$/, '')}/v2/${alpaca.feed}`,
        keyId: alpaca.keyId,
        secretKey: alpaca.secretKey,
        ...(usage && { usage }),
      },
    });
    const instruments = symbols.map((symbol): Instrument => ({
      ...(findInstrument(symbol) ?? {
        symbol,
        name: symbol,
        exchange: 'NYSE',
        sector: 'Unknown',
        basePrice: 0,
        beta: 1,
        volatility: 0,
        avgDailyVolume: 0,
        fractionable: false,
        simulated: false,
      }),
      simulated: false,
    }));
    return { feed, history: feed, instruments, now: Date.now, closeDelayMs: 2_000 };
  }
  const simulator = new MarketSimulator({ seed: market.simSeed });
  const clock = scaledClock({
    start: market.simStart ?? Date.now(),
    speed: market.simSpeed,
    real: { now: Date.now },
  });
  const feed = new SimFeed({ simulator, clock, historyPool: new SimHistoryPool({ seed: market.simSeed }) });
  const instruments = market.symbols
    ? SIM_INSTRUMENTS.filter((i) => market.symbols?.includes(i.symbol))
    : simulator.instruments;
  return { feed, history: feed, instruments, now: () => clock.now(), closeDelayMs: 0 };
}
