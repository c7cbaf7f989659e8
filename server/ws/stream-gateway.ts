import type { ServerMessage } from '../../contracts/stream.js';
import type { StreamTradeUpdate } from '../../contracts/trading.js';
import type { Bar, Quote } from '../../core/market-data/index.js';
import type { MarketUpdate } from '../market/live-market.js';
import { joinedChunk, jsonArrayFrame, jsonChunk } from './json-frame.js';
import { barMessage, quoteMessage, tradeMessage } from './messages.js';

/** The socket operations the gateway needs (a `ws` WebSocket satisfies it). */
export interface GatewaySocket {
  readonly bufferedAmount: number;
  /** Sends `data` as one frame; the gateway always passes `{ binary: false }` (a text frame). */
  send(data: Buffer, options: { binary: boolean }): void;
  close(code?: number, reason?: string): void;
}

/** Channels a client can subscribe to. */
export type Channel = 'trades' | 'quotes' | 'bars';
const CHANNELS: readonly Channel[] = ['trades', 'quotes', 'bars'];
const TEXT_FRAME = { binary: false } as const;

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
   * What waits for this client's next frame, in order, as chunks (json-frame.ts): control messages, its own
   * trade updates, and — when its socket could not take the last frames — the trade and closed-bar chunks of
   * those ticks. Never dropped silently.
   */
  queue: Buffer[] = [];
  /** Messages inside `queue` (a chunk holds several). */
  queued = 0;
  /** Latest quote and forming bar per symbol held back while the socket was full: conflated. */
  readonly latest = new Map<string, Buffer>();
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
 * tick, however many clients take them; quotes and forming bars are conflated here, once for everybody, and only
 * the survivor is serialised.
 */
class SymbolTick {
  readonly trades: string[] = [];
  readonly bars: string[] = [];
  quote: Quote | null = null;
  updatedBar: Bar | null = null;
  /** Keys of the conflated values in a client's `latest`. */
  readonly quoteKey: string;
  readonly barKey: string;
  private tradesChunk: Buffer | null = null;
  private barsChunk: Buffer | null = null;
  private quoteChunk: Buffer | null = null;
  private updatedBarChunk: Buffer | null = null;

  constructor(symbol: string) {
    this.quoteKey = `q:${symbol}`;
    this.barKey = `u:${symbol}`;
  }

  /** The tick's trades as one chunk (made on first use). */
  tradesJoined(): Buffer {
    return (this.tradesChunk ??= joinedChunk(this.trades));
  }

  barsJoined(): Buffer {
    return (this.barsChunk ??= joinedChunk(this.bars));
  }

  /** The latest quote's chunk; only when `quote` is set. */
  quoteJson(): Buffer {
    return (this.quoteChunk ??= jsonChunk(JSON.stringify(quoteMessage(this.quote as Quote))));
  }

  updatedBarJson(): Buffer {
    return (this.updatedBarChunk ??= jsonChunk(JSON.stringify(barMessage(this.updatedBar as Bar, 'u'))));
  }
}

/** What one client takes from a tick; reused across clients so the flush allocates nothing per client. */
class Collected {
  readonly chunks: Buffer[] = [];
  readonly conflatedKeys: string[] = [];
  readonly conflated: Buffer[] = [];
  count = 0;

  clear(): void {
    this.chunks.length = 0;
    this.conflatedKeys.length = 0;
    this.conflated.length = 0;
    this.count = 0;
  }

  isEmpty(): boolean {
    return this.chunks.length === 0 && this.conflated.length === 0;
  }
}

/**
 * Fans market updates out to WebSocket clients. Each message is serialised once and each symbol's messages are
 * joined once per flush, into bytes; each client gets at most one text frame per flush (a JSON array, one write)
 * copied together from the chunks of the symbols it follows; quotes and forming bars are conflated to the latest
 * per symbol; a client too far behind is told to resync instead of being silently dropped from.
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
  private readonly collected = new Collected();
  private readonly scratch: SymbolTick[] = [];
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
    this.hold(client, jsonChunk(JSON.stringify(message)), 1);
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
          tick.quote = update.quote;
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
          tick.updatedBar = update.bar;
          break;
        }
      }
    }
  }

  /** Queues a trade update for every connection of `userId` (never conflated, never another user's). */
  publishToUser(userId: string, message: StreamTradeUpdate): void {
    const mine = this.byUser.get(userId);
    if (!mine || mine.size === 0) return;
    const chunk = jsonChunk(JSON.stringify(message));
    for (const client of mine) this.hold(client, chunk, 1);
  }

  /** Sends each client with pending data one frame; call every few tens of milliseconds. */
  flush(): void {
    if (this.held + this.tickMessages > this.maxTotalQueued) this.shedDeepestQueues();
    const ticks = this.ticks;
    this.ticks = new Map();
    this.tickMessages = 0;
    const taken = this.collected;
    for (const client of this.clients) {
      taken.clear();
      if (ticks.size > 0) this.collect(client, ticks, taken);
      const full = client.socket.bufferedAmount > this.maxBufferedBytes;
      if (client.queued + taken.count > this.maxQueued) {
        // Too far behind: what it missed comes from history instead (the resync tells it so).
        this.resync(client);
        taken.clear();
      }
      if (full) {
        // A socket that cannot keep up keeps its backlog here, where the queue bound applies.
        if (!client.resyncPending) this.keep(client, taken);
      } else if (client.queued > 0 || client.latest.size > 0 || !taken.isEmpty()) this.send(client, taken);
    }
    taken.clear();
  }

  /** The current tick of `symbol` when anyone follows it on `channel`; undefined otherwise. */
  private tick(channel: Channel, symbol: string): SymbolTick | undefined {
    const subscribers = this.index[channel].get(symbol);
    if ((!subscribers || subscribers.size === 0) && this.wildcard[channel].size === 0) return undefined;
    let tick = this.ticks.get(symbol);
    if (!tick) this.ticks.set(symbol, (tick = new SymbolTick(symbol)));
    return tick;
  }

  /** Gathers the chunks and conflated values of the tick that `client` follows into `taken`. */
  private collect(client: StreamClient, ticks: ReadonlyMap<string, SymbolTick>, taken: Collected): void {
    const subs = client.subscriptions;
    if (subs.trades.size > 0) {
      for (const tick of this.followed(subs.trades, ticks)) {
        if (tick.trades.length === 0) continue;
        taken.chunks.push(tick.tradesJoined());
        taken.count += tick.trades.length;
      }
    }
    if (subs.bars.size > 0) {
      for (const tick of this.followed(subs.bars, ticks)) {
        if (tick.bars.length > 0) {
          taken.chunks.push(tick.barsJoined());
          taken.count += tick.bars.length;
          // A closed bar held back earlier is followed by this tick's; a held forming bar is superseded.
          if (client.latest.delete(tick.barKey)) this.held -= 1;
        }
        if (tick.updatedBar !== null) {
          taken.conflatedKeys.push(tick.barKey);
          taken.conflated.push(tick.updatedBarJson());
          taken.count += 1;
        }
      }
    }
    if (subs.quotes.size > 0) {
      for (const tick of this.followed(subs.quotes, ticks)) {
        if (tick.quote === null) continue;
        taken.conflatedKeys.push(tick.quoteKey);
        taken.conflated.push(tick.quoteJson());
        taken.count += 1;
      }
    }
  }

  /** The ticks of the symbols in `symbols` (all of them for a wildcard), in a reused array. */
  private followed(symbols: ReadonlySet<string>, ticks: ReadonlyMap<string, SymbolTick>): SymbolTick[] {
    const out = this.scratch;
    out.length = 0;
    if (symbols.has('*')) for (const tick of ticks.values()) out.push(tick);
    else
      for (const symbol of symbols) {
        const tick = ticks.get(symbol);
        if (tick) out.push(tick);
      }
    return out;
  }

  /** Sends the held backlog and this tick's data as one frame. */
  private send(client: StreamClient, taken: Collected): void {
    const parts = client.queue;
    let messages = client.queued + taken.count;
    for (const chunk of taken.chunks) parts.push(chunk);
    if (client.latest.size > 0)
      for (const [key, chunk] of client.latest)
        if (!taken.conflatedKeys.includes(key)) {
          parts.push(chunk);
          messages += 1;
        }
    for (const chunk of taken.conflated) parts.push(chunk);
    this.held -= client.queued + client.latest.size;
    client.queue = [];
    client.queued = 0;
    client.latest.clear();
    client.resyncPending = false;
    try {
      client.socket.send(jsonArrayFrame(parts), TEXT_FRAME);
      this.stats.framesSent += 1;
      this.stats.messagesSent += messages;
    } catch {
      // The socket is closing; its close handler removes the client.
    }
  }

  /** Holds this tick's data for a client whose socket is full. */
  private keep(client: StreamClient, taken: Collected): void {
    for (const chunk of taken.chunks) client.queue.push(chunk);
    taken.conflatedKeys.forEach((key, i) => {
      if (!client.latest.has(key)) this.held += 1;
      else this.stats.conflated += 1;
      client.latest.set(key, taken.conflated[i] as Buffer);
    });
    const kept = taken.conflated.length;
    client.queued += taken.count - kept;
    this.held += taken.count - kept;
  }

  private hold(client: StreamClient, chunk: Buffer, count: number): void {
    client.queue.push(chunk);
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
    this.hold(client, jsonChunk(JSON.stringify(message)), 1);
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
