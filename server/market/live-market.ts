import {
  BarAggregator,
  type Bar,
  type DataSource,
  type FeedEvent,
  type MarketFeed,
  type Quote,
  type Trade,
} from '../../core/market-data/index.js';

/** What the live market publishes: raw prints, closed 1Min bars and the forming bar so far. */
export type MarketUpdate =
  | { kind: 'trade'; trade: Trade }
  | { kind: 'quote'; quote: Quote }
  | { kind: 'bar'; bar: Bar }
  | { kind: 'updatedBar'; bar: Bar };

/** Receives batches of updates; must not block (the gateway only queues). */
export type MarketListener = (updates: readonly MarketUpdate[]) => void;

const ONE_MINUTE = { amount: 1, unit: 'Min' } as const;

/**
 * Turns a feed's trades and quotes into 1Min bars (closed and forming) and fans every batch out to
 * listeners. The feed's clock closes a minute even when a symbol has no trade after it.
 */
export class LiveMarket {
  private readonly aggregator = new BarAggregator(ONE_MINUTE);
  private readonly listeners = new Set<MarketListener>();
  private lastEventAt = 0;
  private readonly lastTrades = new Map<string, Trade>();
  private readonly lastQuotes = new Map<string, Quote>();

  /**
   * @param closeDelayMs how long after a minute ends its bar stays open for late trades (network
   *   feeds deliver a trade some milliseconds after its time; the simulator needs none).
   */
  constructor(
    private readonly feed: MarketFeed,
    private readonly now: () => number,
    private readonly closeDelayMs = 0,
  ) {}

  get source(): DataSource {
    return this.feed.source;
  }

  /** Starts the feed; resolves once it is connected. */
  start(): Promise<void> {
    return this.feed.start({ onEvents: (events) => this.ingest(events) });
  }

  stop(): Promise<void> {
    return this.feed.stop();
  }

  isConnected(): boolean {
    return this.feed.isConnected();
  }

  /** Milliseconds since the feed last delivered anything (real time). */
  lastEventAgeMs(realNow: number): number {
    return this.lastEventAt === 0 ? Number.POSITIVE_INFINITY : realNow - this.lastEventAt;
  }

  /** Adds a listener; returns its removal. */
  subscribe(listener: MarketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The 1Min bar forming now for `symbol`, if it has traded this minute. */
  formingBar(symbol: string): Bar | undefined {
    return this.aggregator.current(symbol);
  }

  /** The last trade seen live for `symbol`, if any since start. */
  latestTrade(symbol: string): Trade | undefined {
    return this.lastTrades.get(symbol);
  }

  /** The last quote seen live for `symbol`, if any since start. */
  latestQuote(symbol: string): Quote | undefined {
    return this.lastQuotes.get(symbol);
  }

  private ingest(events: readonly FeedEvent[]): void {
    this.lastEventAt = Date.now();
    const updates: MarketUpdate[] = [];
    const touched = new Set<string>();
    for (const event of events) {
      if (event.kind === 'quote') {
        this.lastQuotes.set(event.quote.symbol, event.quote);
        updates.push(event);
        continue;
      }
      this.lastTrades.set(event.trade.symbol, event.trade);
      for (const bar of this.aggregator.push(event.trade)) updates.push({ kind: 'bar', bar });
      updates.push(event);
      touched.add(event.trade.symbol);
    }
    for (const symbol of touched) {
      const bar = this.aggregator.current(symbol);
      if (bar) updates.push({ kind: 'updatedBar', bar });
    }
    // Close minutes only after this batch's trades are in: the batch covers time up to now.
    for (const bar of this.aggregator.flush(this.now() - this.closeDelayMs))
      updates.push({ kind: 'bar', bar });
    if (updates.length === 0) return;
    for (const listener of this.listeners) listener(updates);
  }
}
