import type WebSocket from 'ws';
import { ReconnectingSocket } from '../../feeds/alpaca/reconnecting-socket.js';
import { WireTradeUpdate } from './wire.js';

/** Options of the trade_updates connection. */
export interface TradeUpdatesStreamOptions {
  /** e.g. wss://paper-api.alpaca.markets/stream */
  url: string;
  keyId: string;
  secretKey: string;
  /** Connect + authorize + listen must complete within this (default 15 000 ms). */
  connectTimeoutMs?: number;
  /** Ping interval; a socket silent for two intervals is dropped (default 10 000 ms). */
  heartbeatMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
}

/** What the stream reports. */
export interface TradeUpdatesHandlers {
  onUpdate(update: WireTradeUpdate): void;
  /** After each `listening` ack that includes trade_updates; `reconnect` is false only the first time. */
  onListening(info: { reconnect: boolean }): void;
  onDisconnect(reason: string): void;
}

/** Counters for metrics and tests. */
export interface TradeUpdatesStats {
  connects: number;
  reconnects: number;
  malformed: number;
  updates: number;
}

/**
 * One connection to Alpaca's trading stream: `authenticate`, `listen` to trade_updates, pings, and
 * reconnects with jittered exponential backoff (skipping ahead after a 429). JSON frames may arrive as text
 * or binary (the paper endpoint sends binary); invalid messages are counted and skipped.
 */
export class TradeUpdatesStream {
  readonly stats: TradeUpdatesStats = { connects: 0, reconnects: 0, malformed: 0, updates: 0 };
  private readonly socket: ReconnectingSocket;
  private listening = false;
  private everListened = false;
  private firstListen: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly options: TradeUpdatesStreamOptions,
    private readonly handlers: TradeUpdatesHandlers,
  ) {
    this.socket = new ReconnectingSocket(options, {
      onAttempt: () => {
        this.stats.connects += 1;
      },
      onOpen: (socket) =>
        socket.send(
          JSON.stringify({
            action: 'authenticate',
            data: { key_id: this.options.keyId, secret_key: this.options.secretKey },
          }),
        ),
      onMessage: (socket, data) => this.onFrame(socket, data),
      onClose: () => {
        const was = this.listening;
        this.listening = false;
        if (was) this.handlers.onDisconnect('closed');
      },
    });
  }

  /** True between a `listening` ack and the next disconnect. */
  isListening(): boolean {
    return this.listening;
  }

  /** Connects; resolves on the first `listening` ack, rejects after the connect timeout or on refused keys. */
  start(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => {
        this.firstListen = undefined;
        reject(new Error(`trade_updates: not listening within ${timeoutMs} ms`));
      }, timeoutMs);
      this.firstListen = {
        resolve: () => {
          clearTimeout(timeout);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timeout);
          reject(error);
        },
      };
      this.socket.start();
    });
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.socket.stop();
    this.listening = false;
  }

  private onFrame(socket: WebSocket, data: WebSocket.RawData): void {
    let frame: unknown;
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      frame = JSON.parse(bytes.toString('utf8'));
    } catch {
      this.stats.malformed += 1;
      return;
    }
    if (typeof frame !== 'object' || frame === null) {
      this.stats.malformed += 1;
      return;
    }
    const { stream, data: body } = frame as { stream?: unknown; data?: Record<string, unknown> };
    if (stream === 'authorization') {
      if (body?.status === 'authorized') {
        socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
        return;
      }
      // Refused keys will not get better by retrying: stop and tell the starter.
      this.firstListen?.reject(new Error(`trade_updates: ${String(body?.message ?? 'unauthorized')}`));
      this.firstListen = undefined;
      this.stop();
      this.handlers.onDisconnect('unauthorized');
      return;
    }
    if (stream === 'listening') {
      const streams = Array.isArray(body?.streams) ? body.streams : [];
      if (!streams.includes('trade_updates') || this.listening) return;
      this.listening = true;
      this.socket.resetBackoff();
      const reconnect = this.everListened;
      this.everListened = true;
      if (reconnect) this.stats.reconnects += 1;
      this.firstListen?.resolve();
      this.firstListen = undefined;
      this.handlers.onListening({ reconnect });
      return;
    }
    if (stream === 'trade_updates') {
      const parsed = WireTradeUpdate.safeParse(body);
      if (!parsed.success) {
        this.stats.malformed += 1;
        return;
      }
      this.stats.updates += 1;
      this.handlers.onUpdate(parsed.data);
    }
  }
}
