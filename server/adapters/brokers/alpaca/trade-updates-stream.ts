import WebSocket from 'ws';
import { backoffDelay } from '../../feeds/alpaca/backoff.js';
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
  private socket: WebSocket | undefined;
  private attempt = 0;
  private stopped = true;
  private listening = false;
  private everListened = false;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private firstListen: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly options: TradeUpdatesStreamOptions,
    private readonly handlers: TradeUpdatesHandlers,
  ) {}

  /** True between a `listening` ack and the next disconnect. */
  isListening(): boolean {
    return this.listening;
  }

  /** Connects; resolves on the first `listening` ack, rejects after the connect timeout or on refused keys. */
  start(): Promise<void> {
    this.stopped = false;
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
      this.connect();
    });
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    this.socket?.terminate();
    this.socket = undefined;
    this.listening = false;
  }

  private connect(): void {
    if (this.stopped) return;
    this.stats.connects += 1;
    const socket = new WebSocket(this.options.url, {
      handshakeTimeout: this.options.connectTimeoutMs ?? 15_000,
    });
    this.socket = socket;
    let penalty = false;
    let alive = true;
    socket.on('unexpected-response', (_request, response) => {
      if (response.statusCode === 429) penalty = true;
      socket.terminate();
    });
    socket.on('open', () => {
      socket.send(
        JSON.stringify({
          action: 'authenticate',
          data: { key_id: this.options.keyId, secret_key: this.options.secretKey },
        }),
      );
    });
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('message', (data) => {
      alive = true;
      this.onFrame(socket, data);
    });
    socket.on('error', () => {
      // 'close' follows and schedules the reconnect.
    });
    socket.on('close', () => {
      clearInterval(this.heartbeat);
      const was = this.listening;
      this.listening = false;
      if (this.socket === socket) this.socket = undefined;
      if (was) this.handlers.onDisconnect('closed');
      this.schedule(penalty);
    });
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, this.options.heartbeatMs ?? 10_000);
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
      this.attempt = 0;
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

  private schedule(penalty: boolean): void {
    if (this.stopped) return;
    const base = this.options.backoff ?? { baseMs: 500, maxMs: 30_000 };
    // A refusal skips ahead in the schedule: retrying fast would only prolong it.
    if (penalty) this.attempt += 2;
    const delay = backoffDelay(this.attempt, base, this.options.random);
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
