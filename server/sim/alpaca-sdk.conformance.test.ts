import { Alpaca, TimeFrame } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, ManualClock, scaledClock } from '../../core/kernel/index.js';
import { type Bar, MarketSimulator } from '../../core/market-data/index.js';
import { type SimServer, buildSimServer } from './index.js';

// Alpaca's official SDK (v4), unmodified, against the simulator on 127.0.0.1. The SDK has no base-URL
// option for market data, so its fetch is given one that swaps Alpaca's hosts for the sim's origin.
const NOW = Date.parse('2024-03-12T15:00:00Z');
const seed = 'conformance';

async function start(clock: Clock): Promise<{ sim: SimServer; simulator: MarketSimulator; origin: string }> {
  const simulator = new MarketSimulator({ seed });
  const sim = await buildSimServer({ simulator, clock, tickMs: 100 });
  const origin = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  return { sim, simulator, origin };
}

function sdk(origin: string, requests: string[] = []): Alpaca {
  return new Alpaca({
    keyId: 'PKTEST',
    secret: 'secret',
    retry: false,
    rateLimit: false,
    fetchApi: (url: string | URL | Request, init?: RequestInit) => {
      const target = String(url).replace(/^https:\/\/[a-z.-]+\.alpaca\.markets/, origin);
      requests.push(target);
      return fetch(target, init);
    },
  });
}

function ohlc(b: Bar) {
  return { t: b.t, o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, n: b.n, vw: b.vw };
}

describe('Alpaca SDK v4 against pulse sim (REST)', () => {
  const clock = new ManualClock(NOW);
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    env = await start(clock);
  });
  afterAll(() => env.sim.close());

  it('collects minute bars of two symbols across several pages, equal to the simulator', async () => {
    const requests: string[] = [];
    const from = Date.parse('2024-03-11T13:30:00Z');
    const to = Date.parse('2024-03-12T14:00:00Z');
    const bars = await sdk(env.origin, requests).marketData.getStockBars({
      symbols: ['AAPL', 'MSFT'],
      timeframe: TimeFrame.Minute,
      start: new Date(from),
      end: new Date(to),
      limit: 700,
    });
    for (const symbol of ['AAPL', 'MSFT']) {
      const expected = env.simulator.bars(symbol, { amount: 1, unit: 'Min' }, from, to + 1).map(ohlc);
      const got = (bars[symbol] ?? []).map((b) => ({
        t: b.timestamp.getTime(),
        o: b.open,
        h: b.high,
        l: b.low,
        c: b.close,
        v: b.volume,
        n: b.tradeCount,
        vw: b.vwap,
      }));
      expect(expected.length).toBeGreaterThan(900);
      expect(got).toEqual(expected);
    }
    const pages = requests.filter((r) => r.includes('/v2/stocks/bars?'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(1).every((r) => r.includes('page_token='))).toBe(true);
  });

  it('reads the latest trade, latest quote and a snapshot as of the simulated now', async () => {
    const alpaca = sdk(env.origin);
    const trades = env.simulator.tradesBetween('AAPL', NOW - 60_000, NOW + 1);
    const last = trades.at(-1);
    expect(await alpaca.marketData.getLatestPrice('AAPL')).toBe(last?.price);
    const latest = await alpaca.marketData.stocks.stockLatestTrades({ symbols: 'AAPL,MSFT' });
    expect(latest.trades.AAPL?.i).toBe(last?.id);
    expect(latest.trades.MSFT?.t.getTime()).toBeLessThanOrEqual(NOW);
    const quote = await alpaca.marketData.stocks.stockLatestQuoteSingle({ symbol: 'AAPL' });
    const nbbo = env.simulator.quoteAt('AAPL', NOW);
    expect([quote.quote.bp, quote.quote.ap, quote.quote.bs]).toEqual([
      nbbo.bidPrice,
      nbbo.askPrice,
      nbbo.bidSize,
    ]);
    const snap = await alpaca.marketData.stocks.stockSnapshotSingle({ symbol: 'AAPL' });
    expect(snap.latestTrade?.p).toBe(last?.price);
    expect(snap.minuteBar?.t.toISOString()).toBe('2024-03-12T14:59:00.000Z');
    expect(snap.dailyBar?.t.toISOString()).toBe('2024-03-12T04:00:00.000Z');
    expect(snap.dailyBar?.c).toBe(last?.price);
    const prev = env.simulator.bars(
      'AAPL',
      { amount: 1, unit: 'Day' },
      Date.parse('2024-03-11T04:00:00Z'),
      Date.parse('2024-03-12T04:00:00Z'),
    )[0];
    expect(snap.prevDailyBar?.c).toBe(prev?.c);
    expect(snap.prevDailyBar?.v).toBe(prev?.v);
  });

  it('answers the trading client: clock, calendar and assets', async () => {
    const alpaca = sdk(env.origin);
    const c = await alpaca.trading.clock.legacyClock();
    expect(c.isOpen).toBe(true);
    expect(c.timestamp.getTime()).toBe(NOW);
    expect(c.nextClose.toISOString()).toBe('2024-03-12T20:00:00.000Z');
    const days = await alpaca.trading.calendar.legacyCalendar({
      start: new Date('2024-03-28'),
      end: new Date('2024-04-02'),
    });
    expect(days.map((d) => d.date.toISOString().slice(0, 10))).toEqual([
      '2024-03-28',
      '2024-04-01',
      '2024-04-02',
    ]);
    expect(days[0]?.open).toBe('09:30');
    const assets = await alpaca.trading.assets.getV2Assets({ status: 'active' });
    expect(assets.map((a) => a.symbol)).toContain('AAPL');
    const aapl = await alpaca.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'AAPL' });
    expect(aapl.exchange).toBe('NASDAQ');
    expect(aapl.tradable).toBe(true);
  });

  it('throws the SDK typed auth error when the sim rejects the key', async () => {
    const locked = await buildSimServer({ simulator: env.simulator, clock, key: 'right', secret: 'pair' });
    const origin = await locked.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const error = await sdk(origin)
        .trading.clock.legacyClock()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'PermissionError', status: 403, code: 40310000 });
    } finally {
      await locked.close();
    }
  });
});

describe('Alpaca SDK v4 against pulse sim (market data stream, msgpack)', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    env = await start(scaledClock({ start: NOW, speed: 60, real: { now: Date.now } }));
  });
  afterAll(() => env.sim.close());

  it('subscribes to bars, trades and quotes and receives them; a streamed bar equals the REST bar', async () => {
    const alpaca = sdk(env.origin);
    const stream = alpaca.marketData.stockStream({
      url: `${env.origin.replace('http', 'ws')}/v2/iex`,
      reconnect: false,
    });
    const trades: number[] = [];
    const quotes: number[] = [];
    const errors: string[] = [];
    stream.onError((e) => errors.push(e));
    stream.onTrade((t) => {
      if (t.symbol === 'AAPL') trades.push(t.price);
    });
    stream.onQuote((q) => {
      if (q.symbol === 'AAPL') quotes.push(q.bidPrice);
    });
    const firstBar = new Promise<{
      symbol: string;
      t: number;
      o: number;
      h: number;
      l: number;
      c: number;
      v: number;
      n?: number;
      vw?: number;
    }>((resolve) =>
      stream.onBar((b) =>
        resolve({
          symbol: b.symbol,
          t: b.timestamp.getTime(),
          o: b.open,
          h: b.high,
          l: b.low,
          c: b.close,
          v: b.volume,
          n: b.tradeCount,
          vw: b.vwap,
        }),
      ),
    );
    stream.onConnect(() => {
      stream.subscribeForBars(['AAPL']);
      stream.subscribeForTrades(['AAPL']);
      stream.subscribeForQuotes(['AAPL']);
    });
    stream.connect();
    try {
      expect(await stream.waitForAuthentication(5_000)).toBe(true);
      const bar = await firstBar;
      const [expected] = env.simulator.bars('AAPL', { amount: 1, unit: 'Min' }, bar.t, bar.t + 60_000);
      expect(bar).toEqual({ symbol: 'AAPL', ...ohlc(expected as Bar) });
      const rest = await alpaca.marketData.stocks.stockBarSingle({
        symbol: 'AAPL',
        timeframe: '1Min',
        start: new Date(bar.t),
        end: new Date(bar.t),
        limit: 1,
      });
      expect(rest.bars[0]?.c).toBe(bar.c);
      expect(rest.bars[0]?.v).toBe(bar.v);
      expect(trades.length).toBeGreaterThan(10);
      expect(quotes.length).toBeGreaterThan(0);
      expect(stream.getSubscriptions().bars).toEqual(['AAPL']);
      expect(errors).toEqual([]);
    } finally {
      stream.disconnect();
    }
  });
});
