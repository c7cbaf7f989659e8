import WebSocket from 'ws';
import { backoffDelay } from './backoff.js';
import { StreamMessage } from './wire.js';
import type { UsageMeter } from '../../../ops/usage/usage-meter.js';

/** Options of the market data stream connection. */
export interface StreamClientOptions {
  /** e.g. wss://stream.data.alpaca.markets/v2/iex */
  url: string;
  keyId: string;
  secretKey: string;
  symbols: readonly string[];
  /** Connect/auth must complete within this; otherwise the attempt counts as failed. */
  connectTimeoutMs?: number;
  heartbeatMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  /** Told how many symbols are subscribed (usage against the plan's symbol limit). */
  usage?: UsageMeter;
}

/** What the stream client reports. */
export interface StreamHandlers {
  /** Every data message of one frame, parsed and validated; invalid items are counted and skipped. */
  onData(messages: readonly StreamMessage[]): void;
  /** After each successful auth + subscribe (first connect and every reconnect). */
  onReady(info: { reconnect: boolean }): void;
  onDisconnect(reason: string): void;
}

/** Counters for /metrics and tests. */
export interface StreamStats {
  connects: number;
  reconnects: number;
  failures: number;
  rejected429: number;
  malformed: number;
  messages: number;
  lastMessageAt: number;
}

/**
 * Exactly one upstream connection to Alpaca's market data stream: auth, subscribe, heartbeats,
 * reconnect with jittered exponential backoff (longer after 429 or 406), malformed frames skipped.
 */
export class AlpacaStreamClient {
  readonly stats: StreamStats = {
    connects: 0,
    reconnects: 0,
    failures: 0,
    rejected429: 0,
    malformed: 0,
    messages: 0,
    lastMessageAt: 0,
  };
  private socket: WebSocket | undefined;
  private attempt = 0;
  private stopped = true;
  private ready = false;
  private everReady = false;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: StreamClientOptions,
    private readonly handlers: StreamHandlers,
  ) {}

  isReady(): boolean {
    return this.ready;
  }

  /** Connects; resolves on the first successful auth + subscribe, rejects after the connect timeout. */
  start(): Promise<void> {
    this.stopped = false;
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(
        () =>
          reject(new Error(`no authenticated stream within ${this.options.connectTimeoutMs ?? 15_000} ms`)),
        this.options.connectTimeoutMs ?? 15_000,
      );
      const onReady = this.handlers.onReady;
      this.handlers.onReady = (info) => {
        clearTimeout(timeout);
        this.handlers.onReady = onReady;
        resolve();
        onReady(info);
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
    this.ready = false;
  }

  private connect(): void {
    if (this.stopped) return;
    this.stats.connects += 1;
    const socket = new WebSocket(this.options.url, {
      handshakeTimeout: this.options.connectTimeoutMs ?? 15_000,
    });
    this.socket = socket;
    let penalty = false;
    socket.on('unexpected-response', (_request, response) => {
      if (response.statusCode === 429) {
        this.stats.rejected429 += 1;
        penalty = true;
      }
      socket.terminate();
    });
    socket.on('open', () => {
      socket.send(
        JSON.stringify({ action: 'auth', key: this.options.keyId, secret: this.options.secretKey }),
      );
    });
    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('message', (data, isBinary) => {
      alive = true;
      const items = this.parse(isBinary ? null : String(data));
      const payload: StreamMessage[] = [];
      for (const item of items) {
        if (item.T === 'success' && item.msg === 'authenticated') {
          const symbols = [...this.options.symbols];
          socket.send(JSON.stringify({ action: 'subscribe', trades: symbols, quotes: symbols }));
        } else if (item.T === 'subscription') {
          this.options.usage?.streamSymbols(this.options.symbols.length);
          this.ready = true;
          const reconnect = this.everReady;
          this.everReady = true;
          this.attempt = 0;
          if (reconnect) this.stats.reconnects += 1;
          this.handlers.onReady({ reconnect });
        } else if (item.T === 'error') {
          // 406: another connection holds this key; 429-like pressure: back off harder.
          if (item.code === 406 || item.code === 429) penalty = true;
          this.handlers.onDisconnect(`upstream error ${item.code} ${item.msg}`);
        } else if (item.T === 't' || item.T === 'q' || item.T === 'b' || item.T === 'u' || item.T === 'd') {
          payload.push(item);
        }
      }
      if (payload.length > 0) {
        this.stats.messages += payload.length;
        this.stats.lastMessageAt = Date.now();
        this.handlers.onData(payload);
      }
    });
    socket.on('error', () => {
      // 'close' follows and schedules the reconnect.
    });
    socket.on('close', () => {
      clearInterval(this.heartbeat);
      const wasReady = this.ready;
      this.ready = false;
      if (this.socket === socket) this.socket = undefined;
      if (!wasReady) this.stats.failures += 1;
      this.handlers.onDisconnect('closed');
      this.schedule(penalty);
    });
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (!alive) {
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, this.options.heartbeatMs ?? 10_000);
  }

  private schedule(penalty: boolean): void {
    if (this.stopped) return;
    const base = this.options.backoff ?? { baseMs: 500, maxMs: 30_000 };
    // A refusal (429/406) skips ahead in the schedule: retrying fast would only prolong it.
    if (penalty) this.attempt += 2;
    const delay = backoffDelay(this.attempt, base, this.options.random);
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private parse(text: string | null): StreamMessage[] {
    if (text === null) {
      this.stats.malformed += 1;
      return [];
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.stats.malformed += 1;
      return [];
    }
    if (!Array.isArray(json)) {
      this.stats.malformed += 1;
      return [];
    }
    const out: StreamMessage[] = [];
    for (const item of json) {
      const parsed = StreamMessage.safeParse(item);
      if (parsed.success) out.push(parsed.data);
      else this.stats.malformed += 1;
    }
    return out;
  }
}
