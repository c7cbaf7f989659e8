import type { ServerMessage } from '../../contracts/stream.js';
import type { StreamTradeUpdate } from '../../contracts/trading.js';
import type { MarketUpdate } from '../market/live-market.js';
import { barMessage, quoteMessage, tradeMessage } from './messages.js';

/** The socket operations the gateway needs (a `ws` WebSocket satisfies it). */
export interface GatewaySocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Channels a client can subscribe to. */
export type Channel = 'trades' | 'quotes' | 'bars';
const CHANNELS: readonly Channel[] = ['trades', 'quotes', 'bars'];

/** Gateway limits; defaults suit 1,000 clients on one node. */
export interface GatewayOptions {
  /** Messages (trades and bars) a client may have queued before it is resynchronised. */
  maxQueued?: number;
  /** Bytes the socket may have unsent before the client counts as too far behind. */
  maxBufferedBytes?: number;
  /** Symbols one connection may subscribe to per channel. */
  maxSymbols?: number;
  /** Messages queued across all clients; past it the deepest queues are resynchronised. */
  maxTotalQueued?: number;
}

/** A connected client: its subscriptions and what waits for the next frame. */
export class StreamClient {
  readonly subscriptions: Record<Channel, Set<string>> = {
    trades: new Set(),
    quotes: new Set(),
    bars: new Set(),
  };
  /**
   * What waits for this client's next frame, in order: control messages, its own trade updates, and — when its
   * socket could not take the last frames — the trade and closed-bar chunks of those ticks. Never dropped silently.
   */
  queue: string[] = [];
  /** Messages inside `queue` (a chunk holds several). */
  queued = 0;
  /** Latest quote and forming bar per symbol held back while the socket was full: conflated. */
  readonly latest = new Map<string, string>();
  resyncs = 0;
  /** A resync is queued: until it is sent, what would be queued is covered by the client's backfill. */
  resyncPending = false;

  constructor(
    readonly socket: GatewaySocket,
    readonly userId: string,
  ) {}
}

/**
 * One symbol's market data since the last flush. Trades and closed bars are serialised once and joined once per
 * tick, however many clients take them; quotes and forming bars are conflated here, once for everybody.
 */
class SymbolTick {
  readonly trades: string[] = [];
  readonly bars: string[] = [];
  quote: string | null = null;
  updatedBar: string | null = null;
  private tradesChunk: string | null = null;
  private barsChunk: string | null = null;

  /** The tick's trades as one comma-joined chunk (joined on first use). */
  tradesJoined(): string {
    return (this.tradesChunk ??= this.trades.join(','));
  }

  barsJoined(): string {
    return (this.barsChunk ??= this.bars.join(','));
  }
}

/**
 * Fans market updates out to WebSocket clients. Each message is serialised once and each symbol's messages are
 * joined once per flush; each client gets at most one frame per flush (a JSON array) assembled from the chunks of
 * the symbols it follows; quotes and forming bars are conflated to the latest per symbol; a client too far behind
 * is told to resync instead of being silently dropped from.
 */
export class StreamGateway {
  private readonly clients = new Set<StreamClient>();
  private readonly index: Record<Channel, Map<string, Set<StreamClient>>> = {
    trades: new Map(),
    quotes: new Map(),
    bars: new Map(),
  };
  private readonly wildcard: Record<Channel, Set<StreamClient>> = {
    trades: new Set(),
    quotes: new Set(),
    bars: new Set(),
  };
  /** Market data since the last flush, per symbol that has a subscriber. */
  private ticks = new Map<string, SymbolTick>();
  /** Messages in `ticks` (trades and closed bars, plus one per conflated value). */
  private tickMessages = 0;
  /** Connections per signed-in user: trade updates go only to their owner's connections. */
  private readonly byUser = new Map<string, Set<StreamClient>>();
  readonly maxQueued: number;
  readonly maxBufferedBytes: number;
  readonly maxSymbols: number;
  readonly maxTotalQueued: number;
  /** Messages held in client queues (excluding the current tick). */
  private held = 0;
  /** Counters for /metrics. */
  readonly stats = { framesSent: 0, messagesSent: 0, conflated: 0, resyncs: 0 };

  constructor(options: GatewayOptions = {}) {
    this.maxQueued = options.maxQueued ?? 20_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.maxSymbols = options.maxSymbols ?? 500;
    this.maxTotalQueued = options.maxTotalQueued ?? 500_000;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Messages waiting: held in client queues, plus those of the current tick. */
  queuedMessages(): number {
    return this.held + this.tickMessages;
  }

  add(client: StreamClient): void {
    this.clients.add(client);
    let mine = this.byUser.get(client.userId);
    if (!mine) this.byUser.set(client.userId, (mine = new Set()));
    mine.add(client);
  }

  remove(client: StreamClient): void {
    this.held -= client.queued + client.latest.size;
    client.queue = [];
    client.queued = 0;
    client.latest.clear();
    this.clients.delete(client);
    const mine = this.byUser.get(client.userId);
    mine?.delete(client);
    if (mine?.size === 0) this.byUser.delete(client.userId);
    for (const channel of CHANNELS) {
      this.wildcard[channel].delete(client);
      for (const symbol of client.subscriptions[channel]) this.index[channel].get(symbol)?.delete(client);
    }
  }

  /** Adds symbols to a channel; false when the per-connection limit would be exceeded. */
  subscribe(client: StreamClient, channel: Channel, symbols: readonly string[]): boolean {
    const subs = client.subscriptions[channel];
    const added = symbols.filter((s) => !subs.has(s));
    if (subs.size + added.length > this.maxSymbols) return false;
    for (const symbol of added) {
      subs.add(symbol);
      if (symbol === '*') this.wildcard[channel].add(client);
      else {
        let set = this.index[channel].get(symbol);
        if (!set) this.index[channel].set(symbol, (set = new Set()));
        set.add(client);
      }
    }
    return true;
  }

  unsubscribe(client: StreamClient, channel: Channel, symbols: readonly string[]): void {
    for (const symbol of symbols) {
      if (!client.subscriptions[channel].delete(symbol)) continue;
      if (symbol === '*') this.wildcard[channel].delete(client);
      else this.index[channel].get(symbol)?.delete(client);
    }
  }

  /** Queues a control message for one client, sent with its next frame. */
  sendTo(client: StreamClient, message: ServerMessage): void {
    this.hold(client, JSON.stringify(message), 1);
  }

  /** Routes a batch of market updates into the current tick (serialised once, only when someone follows). */
  publish(updates: readonly MarketUpdate[]): void {
    for (const update of updates) {
      switch (update.kind) {
        case 'trade': {
          const tick = this.tick('trades', update.trade.symbol);
          if (tick) {
            tick.trades.push(JSON.stringify(tradeMessage(update.trade)));
            this.tickMessages += 1;
          }
          break;
        }
        case 'quote': {
          const tick = this.tick('quotes', update.quote.symbol);
          if (!tick) break;
          if (tick.quote === null) this.tickMessages += 1;
          else this.stats.conflated += 1;
          tick.quote = JSON.stringify(quoteMessage(update.quote));
          break;
        }
        case 'bar': {
          const tick = this.tick('bars', update.bar.symbol);
          if (!tick) break;
          tick.bars.push(JSON.stringify(barMessage(update.bar, 'b')));
          this.tickMessages += 1;
          // The closed bar supersedes the forming one of its minute.
          if (tick.updatedBar !== null) {
            tick.updatedBar = null;
            this.tickMessages -= 1;
            this.stats.conflated += 1;
          }
          break;
        }
        case 'updatedBar': {
          const tick = this.tick('bars', update.bar.symbol);
          if (!tick) break;
          if (tick.updatedBar === null) this.tickMessages += 1;
          else this.stats.conflated += 1;
          tick.updatedBar = JSON.stringify(barMessage(update.bar, 'u'));
          break;
        }
      }
    }
  }

  /** Queues a trade update for every connection of `userId` (never conflated, never another user's). */
  publishToUser(userId: string, message: StreamTradeUpdate): void {
    const mine = this.byUser.get(userId);
    if (!mine || mine.size === 0) return;
    const json = JSON.stringify(message);
    for (const client of mine) this.hold(client, json, 1);
  }

  /** Sends each client with pending data one frame; call every few tens of milliseconds. */
  flush(): void {
    if (this.held + this.tickMessages > this.maxTotalQueued) this.shedDeepestQueues();
    const ticks = this.ticks;
    this.ticks = new Map();
    this.tickMessages = 0;
    const chunks: string[] = [];
    const conflated = new Map<string, string>();
    for (const client of this.clients) {
      let count = this.collect(client, ticks, chunks, conflated);
      const full = client.socket.bufferedAmount > this.maxBufferedBytes;
      if (client.queued + count > this.maxQueued) {
        // Too far behind: what it missed comes from history instead (the resync tells it so).
        this.resync(client);
        count = 0;
        chunks.length = 0;
        conflated.clear();
      }
      if (full) {
        // A socket that cannot keep up keeps its backlog here, where the queue bound applies.
        if (!client.resyncPending) this.keep(client, chunks, count, conflated);
      } else if (client.queued > 0 || chunks.length > 0 || conflated.size > 0 || client.latest.size > 0)
        this.send(client, chunks, count, conflated);
      chunks.length = 0;
      conflated.clear();
    }
  }

  /** The current tick of `symbol` when anyone follows it on `channel`; undefined otherwise. */
  private tick(channel: Channel, symbol: string): SymbolTick | undefined {
    const subscribers = this.index[channel].get(symbol);
    if ((!subscribers || subscribers.size === 0) && this.wildcard[channel].size === 0) return undefined;
    let tick = this.ticks.get(symbol);
    if (!tick) this.ticks.set(symbol, (tick = new SymbolTick()));
    return tick;
  }

  /** Gathers the tick's chunks and conflated values `client` follows; returns the number of messages. */
  private collect(
    client: StreamClient,
    ticks: ReadonlyMap<string, SymbolTick>,
    chunks: string[],
    conflated: Map<string, string>,
  ): number {
    if (ticks.size === 0) return 0;
    let count = 0;
    const subs = client.subscriptions;
    const each = (channel: Channel, visit: (symbol: string, tick: SymbolTick) => void): void => {
      if (subs[channel].has('*')) for (const [symbol, tick] of ticks) visit(symbol, tick);
      else
        for (const symbol of subs[channel]) {
          const tick = ticks.get(symbol);
          if (tick) visit(symbol, tick);
        }
    };
    each('trades', (_, tick) => {
      if (tick.trades.length === 0) return;
      chunks.push(tick.tradesJoined());
      count += tick.trades.length;
    });
    each('bars', (symbol, tick) => {
      if (tick.bars.length > 0) {
        chunks.push(tick.barsJoined());
        count += tick.bars.length;
        // A closed bar held back earlier is followed by this tick's; a held forming bar is superseded.
        client.latest.delete(`u:${symbol}`);
      }
      if (tick.updatedBar !== null) {
        conflated.set(`u:${symbol}`, tick.updatedBar);
        count += 1;
      }
    });
    each('quotes', (symbol, tick) => {
      if (tick.quote === null) return;
      conflated.set(`q:${symbol}`, tick.quote);
      count += 1;
    });
    return count;
  }

  /** Sends the held backlog and this tick's data as one frame. */
  private send(
    client: StreamClient,
    chunks: readonly string[],
    count: number,
    conflated: ReadonlyMap<string, string>,
  ): void {
    const parts = client.queue;
    let messages = client.queued + count;
    for (const chunk of chunks) parts.push(chunk);
    for (const [key, json] of client.latest)
      if (!conflated.has(key)) {
        parts.push(json);
        messages += 1;
      }
    for (const json of conflated.values()) parts.push(json);
    this.held -= client.queued + client.latest.size;
    client.queue = [];
    client.queued = 0;
    client.latest.clear();
    client.resyncPending = false;
    try {
      client.socket.send(`[${parts.join(',')}]`);
      this.stats.framesSent += 1;
      this.stats.messagesSent += messages;
    } catch {
      // The socket is closing; its close handler removes the client.
    }
  }

  /** Holds this tick's data for a client whose socket is full. */
  private keep(
    client: StreamClient,
    chunks: readonly string[],
    count: number,
    conflated: ReadonlyMap<string, string>,
  ): void {
    let kept = 0;
    for (const chunk of chunks) client.queue.push(chunk);
    for (const [key, json] of conflated) {
      if (!client.latest.has(key)) this.held += 1;
      else this.stats.conflated += 1;
      client.latest.set(key, json);
      kept += 1;
    }
    client.queued += count - kept;
    this.held += count - kept;
  }

  private hold(client: StreamClient, json: string, count: number): void {
    client.queue.push(json);
    client.queued += count;
    this.held += count;
  }

  /** Drops a lagging client's backlog and queues a resync telling it to refetch from history: explicit, never silent. */
  private resync(client: StreamClient): void {
    this.held -= client.queued + client.latest.size;
    client.queue = [];
    client.queued = 0;
    client.latest.clear();
    client.resyncPending = true;
    client.resyncs += 1;
    this.stats.resyncs += 1;
    const message: ServerMessage = { T: 'resync', reason: 'slow_consumer', since: new Date().toISOString() };
    this.hold(client, JSON.stringify(message), 1);
  }

  /** Memory is bounded across clients too: the slowest (deepest queues) resync first. */
  private shedDeepestQueues(): void {
    const deepest = [...this.clients]
      .filter((c) => c.queued + c.latest.size > 1)
      .sort((a, b) => b.queued + b.latest.size - (a.queued + a.latest.size));
    for (const client of deepest) {
      if (this.held + this.tickMessages <= this.maxTotalQueued / 2) break;
      this.resync(client);
    }
  }
}
