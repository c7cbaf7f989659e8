import {
  type Bar,
  type BarHistory,
  type FeedEvent,
  type FeedListener,
  formatTimeframe,
  isExtendedBucket,
  type MarketFeed,
  type Timeframe,
  type Trade,
} from '../../../../core/market-data/index.js';
import { RecentIds } from './recent-ids.js';
import type { AlpacaRestClient } from './rest-client.js';
import { AlpacaStreamClient, type StreamClientOptions } from './stream-client.js';
import { type StreamMessage, toBar, toQuote, toTrade } from './wire.js';

/** Options of the Alpaca feed. */
export interface AlpacaFeedOptions {
  feed: 'iex' | 'sip' | 'delayed_sip';
  rest: AlpacaRestClient;
  stream: Omit<StreamClientOptions, 'symbols'>;
  symbols: readonly string[];
  now?: () => number;
}

/**
 * Alpaca as Pulse's market feed: one upstream stream connection fanned out to every Pulse client,
 * with gap backfill — after a reconnect, the trades missed while disconnected are fetched over REST
 * and delivered in order before the live ones, duplicates removed by trade id — so bars built
 * downstream have no gaps and no double counts.
 */
export class AlpacaFeed implements MarketFeed, BarHistory {
  readonly source: 'iex' | 'sip' | 'delayed_sip';
  readonly stats = { backfills: 0, backfilledTrades: 0, duplicates: 0, backfillFailures: 0 };
  private readonly stream: AlpacaStreamClient;
  private readonly seen = new RecentIds(200_000);
  private readonly lastTradeAt = new Map<string, number>();
  private listener: FeedListener | undefined;
  private buffer: FeedEvent[] | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: AlpacaFeedOptions) {
    this.source = options.feed;
    this.clock = options.now ?? Date.now;
    this.stream = new AlpacaStreamClient(
      { ...options.stream, symbols: options.symbols },
      {
        onData: (messages) => this.onData(messages),
        onReady: ({ reconnect }) => {
          this.listener?.onStatus?.({ connected: true });
          if (reconnect) void this.backfill();
        },
        onDisconnect: (reason) => this.listener?.onStatus?.({ connected: false, detail: reason }),
      },
    );
  }

  /** Upstream counters (connection and parsing) for /metrics. */
  get streamStats() {
    return this.stream.stats;
  }

  now(): number {
    return this.clock();
  }

  async start(listener: FeedListener): Promise<void> {
    this.listener = listener;
    await this.stream.start();
  }

  async stop(): Promise<void> {
    this.stream.stop();
  }

  isConnected(): boolean {
    return this.stream.isReady();
  }

  async bars(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<Bar[]> {
    const until = Math.min(end, this.now());
    if (until <= start) return [];
    // Alpaca's end is inclusive; Pulse's windows are [start, end).
    const result = await this.options.rest.bars(
      [symbol],
      formatTimeframe(timeframe),
      new Date(start).toISOString(),
      new Date(until - 1).toISOString(),
    );
    return (result[symbol] ?? []).map((w) => {
      const t = Date.parse(w.t);
      return toBar(symbol, w, isExtendedBucket(t, timeframe));
    });
  }

  private onData(messages: readonly StreamMessage[]): void {
    const events: FeedEvent[] = [];
    for (const m of messages) {
      if (m.T === 't') events.push({ kind: 'trade', trade: toTrade(m.S, m) });
      else if (m.T === 'q') events.push({ kind: 'quote', quote: toQuote(m.S, m) });
    }
    if (this.buffer) this.buffer.push(...events);
    else this.deliver(events);
  }

  /** Passes events on, dropping trades already delivered (backfill and live overlap). */
  private deliver(events: readonly FeedEvent[]): void {
    const fresh: FeedEvent[] = [];
    for (const event of events) {
      if (event.kind === 'trade') {
        if (!this.seen.add(`${event.trade.symbol}:${event.trade.id}:${event.trade.t}`)) {
          this.stats.duplicates += 1;
          continue;
        }
        const last = this.lastTradeAt.get(event.trade.symbol) ?? 0;
        if (event.trade.t > last) this.lastTradeAt.set(event.trade.symbol, event.trade.t);
      }
      fresh.push(event);
    }
    if (fresh.length > 0) this.listener?.onEvents(fresh);
  }

  /** Fetches what was missed since each symbol's last trade and replays it before the live buffer. */
  private async backfill(): Promise<void> {
    if (this.buffer) return;
    this.buffer = [];
    this.stats.backfills += 1;
    try {
      const bySymbol = new Map<number, string[]>();
      for (const symbol of this.options.symbols) {
        const from = this.lastTradeAt.get(symbol);
        if (from === undefined) continue;
        const list = bySymbol.get(from) ?? [];
        list.push(symbol);
        bySymbol.set(from, list);
      }
      const end = new Date(this.now()).toISOString();
      const missed: Trade[] = [];
      // One REST call per distinct starting time keeps requests few (usually one).
      const starts = [...bySymbol.entries()].sort(([a], [b]) => a - b);
      const earliest = starts[0]?.[0];
      if (earliest !== undefined) {
        const symbols = starts.flatMap(([, list]) => list);
        const trades = await this.options.rest.trades(symbols, new Date(earliest).toISOString(), end);
        for (const [symbol, list] of Object.entries(trades))
          for (const w of list) missed.push(toTrade(symbol, w));
      }
      missed.sort((a, b) => a.t - b.t || a.id - b.id);
      this.stats.backfilledTrades += missed.length;
      this.deliver(missed.map((trade) => ({ kind: 'trade', trade })));
    } catch {
      this.stats.backfillFailures += 1;
    } finally {
      const buffered = this.buffer ?? [];
      this.buffer = undefined;
      this.deliver(buffered);
    }
  }
}
