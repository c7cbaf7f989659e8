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
  /** Trades and closed bars: never dropped silently. */
  queue: string[] = [];
  /** Latest quote and forming bar per symbol: conflated. */
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
 * Fans market updates out to WebSocket clients. Each message is serialised once; each client gets at
 * most one frame per flush (a JSON array); quotes and forming bars are conflated to the latest per
 * symbol; a client too far behind is told to resync instead of being silently dropped from.
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
  private readonly dirty = new Set<StreamClient>();
  /** Connections per signed-in user: trade updates go only to their owner's connections. */
  private readonly byUser = new Map<string, Set<StreamClient>>();
  readonly maxQueued: number;
  readonly maxBufferedBytes: number;
  readonly maxSymbols: number;
  readonly maxTotalQueued: number;
  private totalQueued = 0;
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

  /** Messages waiting in every client's queue (trades, bars and conflated values). */
  queuedMessages(): number {
    return this.totalQueued;
  }

  add(client: StreamClient): void {
    this.clients.add(client);
    let mine = this.byUser.get(client.userId);
    if (!mine) this.byUser.set(client.userId, (mine = new Set()));
    mine.add(client);
  }

  remove(client: StreamClient): void {
    this.totalQueued -= client.queue.length;
    client.queue = [];
    this.clients.delete(client);
    this.dirty.delete(client);
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
    client.queue.push(JSON.stringify(message));
    this.totalQueued += 1;
    this.dirty.add(client);
  }

  /** Routes a batch of market updates to the subscribed clients' queues. */
  publish(updates: readonly MarketUpdate[]): void {
    for (const update of updates) {
      switch (update.kind) {
        case 'trade':
          this.enqueue('trades', update.trade.symbol, () => JSON.stringify(tradeMessage(update.trade)), null);
          break;
        case 'quote':
          this.enqueue(
            'quotes',
            update.quote.symbol,
            () => JSON.stringify(quoteMessage(update.quote)),
            `q:${update.quote.symbol}`,
          );
          break;
        case 'bar':
          this.enqueue('bars', update.bar.symbol, () => JSON.stringify(barMessage(update.bar, 'b')), null);
          break;
        case 'updatedBar':
          this.enqueue(
            'bars',
            update.bar.symbol,
            () => JSON.stringify(barMessage(update.bar, 'u')),
            `u:${update.bar.symbol}`,
          );
          break;
      }
    }
  }

  /** Queues a trade update for every connection of `userId` (never conflated, never another user's). */
  publishToUser(userId: string, message: StreamTradeUpdate): void {
    const mine = this.byUser.get(userId);
    if (!mine || mine.size === 0) return;
    const json = JSON.stringify(message);
    for (const client of mine) this.deliver(client, json, null);
  }

  /** Sends each client with pending data one frame; call every few tens of milliseconds. */
  flush(): void {
    if (this.totalQueued > this.maxTotalQueued) this.shedDeepestQueues();
    for (const client of this.dirty) {
      // A socket that cannot keep up keeps its backlog here, where the queue bound applies.
      if (client.socket.bufferedAmount > this.maxBufferedBytes) continue;
      this.dirty.delete(client);
      const parts = client.queue;
      this.totalQueued -= parts.length;
      if (client.latest.size > 0) {
        for (const json of client.latest.values()) parts.push(json);
        client.latest.clear();
      }
      client.queue = [];
      client.resyncPending = false;
      if (parts.length === 0) continue;
      try {
        client.socket.send(`[${parts.join(',')}]`);
        this.stats.framesSent += 1;
        this.stats.messagesSent += parts.length;
      } catch {
        // The socket is closing; its close handler removes the client.
      }
    }
  }

  private enqueue(
    channel: Channel,
    symbol: string,
    serialise: () => string,
    conflateKey: string | null,
  ): void {
    const subscribers = this.index[channel].get(symbol);
    const wildcard = this.wildcard[channel];
    if ((!subscribers || subscribers.size === 0) && wildcard.size === 0) return;
    const json = serialise();
    if (subscribers) for (const client of subscribers) this.deliver(client, json, conflateKey);
    for (const client of wildcard) if (!subscribers?.has(client)) this.deliver(client, json, conflateKey);
  }

  private deliver(client: StreamClient, json: string, conflateKey: string | null): void {
    this.dirty.add(client);
    if (conflateKey !== null) {
      if (client.latest.has(conflateKey)) this.stats.conflated += 1;
      client.latest.set(conflateKey, json);
      return;
    }
    if (client.resyncPending) return;
    if (client.queue.length >= this.maxQueued) {
      this.resync(client);
      return;
    }
    client.queue.push(json);
    this.totalQueued += 1;
  }

  /** Drops a lagging client's backlog and tells it to refetch from history: explicit, never silent. */
  private resync(client: StreamClient): void {
    this.totalQueued -= client.queue.length;
    client.queue = [];
    client.latest.clear();
    client.resyncPending = true;
    client.resyncs += 1;
    this.stats.resyncs += 1;
    const message: ServerMessage = { T: 'resync', reason: 'slow_consumer', since: new Date().toISOString() };
    client.queue.push(JSON.stringify(message));
    this.totalQueued += 1;
  }

  /** Memory is bounded across clients too: the slowest (deepest queues) resync first. */
  private shedDeepestQueues(): void {
    const deepest = [...this.dirty].sort((a, b) => b.queue.length - a.queue.length);
    for (const client of deepest) {
      if (this.totalQueued <= this.maxTotalQueued / 2) break;
      this.resync(client);
    }
  }
}
