import type {
  DataSource,
  FeedEvent,
  FeedListener,
  MarketFeed,
  Quote,
  Trade,
} from '../../core/market-data/index.js';

/**
 * A synthetic market feed with an exact rate: trades and quotes round-robin over the symbols, each
 * stamped (`t`) with the wall-clock millisecond it was due, so a server too busy to run the feed on
 * time shows up as latency rather than as a lower rate. Trade ids run 1, 2, 3… per symbol, so a client
 * can tell a gap from a repeat.
 */
export class SyntheticFeed implements MarketFeed {
  readonly source: DataSource = 'sim';
  private listener: FeedListener | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly nextId: Map<string, number>;
  private tradeCursor = 0;
  private quoteCursor = 0;
  private price = 100;
  tradesEmitted = 0;
  quotesEmitted = 0;

  constructor(
    readonly symbols: readonly string[],
    private readonly tickMs = 5,
  ) {
    this.nextId = new Map(symbols.map((s) => [s, 1]));
  }

  async start(listener: FeedListener): Promise<void> {
    this.listener = listener;
  }

  async stop(): Promise<void> {
    this.halt();
    this.listener = undefined;
  }

  isConnected(): boolean {
    return this.listener !== undefined;
  }

  /** Trades emitted per symbol since the feed was made. */
  emittedBySymbol(): Record<string, number> {
    return Object.fromEntries([...this.nextId].map(([s, next]) => [s, next - 1]));
  }

  /** Emits `tradesPerSecond` trades and `quotesPerSecond` quotes until `halt()`. */
  run(tradesPerSecond: number, quotesPerSecond: number): void {
    this.halt();
    const started = Date.now();
    let trades = 0;
    let quotes = 0;
    const tick = () => {
      const listener = this.listener;
      if (!listener) return;
      const elapsed = Date.now() - started;
      const dueTrades = Math.floor((elapsed * tradesPerSecond) / 1000);
      const dueQuotes = Math.floor((elapsed * quotesPerSecond) / 1000);
      const events: FeedEvent[] = [];
      // Interleave by due time, as a real feed would.
      while (trades < dueTrades || quotes < dueQuotes) {
        const tradeDue = trades < dueTrades ? started + (trades * 1000) / tradesPerSecond : Infinity;
        const quoteDue = quotes < dueQuotes ? started + (quotes * 1000) / quotesPerSecond : Infinity;
        if (tradeDue <= quoteDue) {
          events.push({ kind: 'trade', trade: this.trade(Math.floor(tradeDue)) });
          trades += 1;
        } else {
          events.push({ kind: 'quote', quote: this.quote(Math.floor(quoteDue)) });
          quotes += 1;
        }
      }
      if (events.length > 0) listener.onEvents(events);
    };
    this.timer = setInterval(tick, this.tickMs);
  }

  /** Stops emitting (the listener stays). */
  halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private trade(t: number): Trade {
    const symbol = this.symbols[this.tradeCursor++ % this.symbols.length] as string;
    const id = this.nextId.get(symbol) ?? 1;
    this.nextId.set(symbol, id + 1);
    this.tradesEmitted += 1;
    this.price = this.price > 150 ? 100 : this.price + 0.01;
    const price = Math.round(this.price * 100) / 100;
    return { symbol, t, price, size: 100, id, exchange: 'V', conditions: ['@'], tape: 'C' };
  }

  private quote(t: number): Quote {
    const symbol = this.symbols[this.quoteCursor++ % this.symbols.length] as string;
    this.quotesEmitted += 1;
    const bid = Math.round(this.price * 100) / 100;
    return {
      symbol,
      t,
      bidPrice: bid,
      bidSize: 300,
      askPrice: Math.round((bid + 0.01) * 100) / 100,
      askSize: 200,
      bidExchange: 'Q',
      askExchange: 'P',
      conditions: ['R'],
      tape: 'C',
    };
  }
}
