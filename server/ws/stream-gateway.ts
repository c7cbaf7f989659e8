import type { ServerMessage } from '../../contracts/stream.js';
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
  readonly maxQueued: number;
  readonly maxBufferedBytes: number;
  readonly maxSymbols: number;
  /** Counters for /metrics. */
  readonly stats = { framesSent: 0, messagesSent: 0, conflated: 0, resyncs: 0 };

  constructor(options: GatewayOptions = {}) {
    this.maxQueued = options.maxQueued ?? 20_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.maxSymbols = options.maxSymbols ?? 500;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Messages waiting in every client's queue (trades, bars and conflated values). */
  queuedMessages(): number {
    let total = 0;
    for (const client of this.clients) total += client.queue.length + client.latest.size;
    return total;
  }

  add(client: StreamClient): void {
    this.clients.add(client);
  }

  remove(client: StreamClient): void {
    this.clients.delete(client);
    this.dirty.delete(client);
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

  /** Sends each client with pending data one frame; call every few tens of milliseconds. */
  flush(): void {
    for (const client of this.dirty) {
      // A socket that cannot keep up keeps its backlog here, where the queue bound applies.
      if (client.socket.bufferedAmount > this.maxBufferedBytes) continue;
      this.dirty.delete(client);
      const parts = client.queue;
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
  }

  /** Drops a lagging client's backlog and tells it to refetch from history: explicit, never silent. */
  private resync(client: StreamClient): void {
    client.queue = [];
    client.latest.clear();
    client.resyncPending = true;
    client.resyncs += 1;
    this.stats.resyncs += 1;
    const message: ServerMessage = { T: 'resync', reason: 'slow_consumer', since: new Date().toISOString() };
    client.queue.push(JSON.stringify(message));
  }
}
