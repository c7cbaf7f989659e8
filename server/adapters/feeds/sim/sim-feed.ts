import type { Clock } from '../../../../core/kernel/index.js';
import {
  type Bar,
  type BarHistory,
  type FeedEvent,
  type FeedListener,
  type MarketFeed,
  type MarketSimulator,
  type Quote,
  type Timeframe,
} from '../../../../core/market-data/index.js';
import type { SimHistoryPool } from './history-pool.js';

/** Options of the simulated feed. */
export interface SimFeedOptions {
  simulator: MarketSimulator;
  /** The simulated clock (SIM_START, SIM_SPEED). */
  clock: Clock;
  /** Real milliseconds between deliveries. */
  tickMs?: number;
  /** Computes history off the event loop; without it (or when it is saturated) bars are computed inline. */
  historyPool?: SimHistoryPool;
}

/**
 * The embedded exchange as a live feed and a history: each tick delivers every trade the simulator
 * printed since the previous tick, and the NBBO where it changed. History is the same pure function,
 * so a minute's bar from history equals the bar built from that minute's live trades.
 */
export class SimFeed implements MarketFeed, BarHistory {
  readonly source = 'sim' as const;
  private timer: NodeJS.Timeout | undefined;
  private cursor = 0;
  private readonly lastQuotes = new Map<string, Quote>();
  private readonly tickMs: number;

  constructor(private readonly options: SimFeedOptions) {
    this.tickMs = options.tickMs ?? 250;
  }

  now(): number {
    return this.options.clock.now();
  }

  async start(listener: FeedListener): Promise<void> {
    if (this.timer) return;
    this.cursor = this.now();
    this.timer = setInterval(() => this.tick(listener), this.tickMs);
    this.timer.unref();
    listener.onStatus?.({ connected: true });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.options.historyPool?.close();
  }

  isConnected(): boolean {
    return this.timer !== undefined;
  }

  async bars(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<Bar[]> {
    const until = Math.min(end, this.now());
    if (until <= start) return [];
    const pool = this.options.historyPool;
    if (pool && !pool.busy) return pool.bars(symbol, timeframe, start, until);
    return this.options.simulator.bars(symbol, timeframe, start, until);
  }

  private tick(listener: FeedListener): void {
    const to = this.now();
    const from = this.cursor;
    if (to <= from) return;
    this.cursor = to;
    const { simulator } = this.options;
    const events: FeedEvent[] = [];
    for (const instrument of simulator.instruments) {
      const symbol = instrument.symbol;
      for (const trade of simulator.tradesBetween(symbol, from, to)) events.push({ kind: 'trade', trade });
      const quote = simulator.quoteAt(symbol, to - 1);
      const last = this.lastQuotes.get(symbol);
      if (
        !last ||
        last.bidPrice !== quote.bidPrice ||
        last.askPrice !== quote.askPrice ||
        last.t !== quote.t
      ) {
        this.lastQuotes.set(symbol, quote);
        events.push({ kind: 'quote', quote });
      }
    }
    if (events.length > 0) listener.onEvents(events);
  }
}
