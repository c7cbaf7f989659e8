import type WebSocket from 'ws';
import { ReconnectingSocket } from './reconnecting-socket.js';
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
  private readonly socket: ReconnectingSocket;
  private ready = false;
  private everReady = false;

  constructor(
    private readonly options: StreamClientOptions,
    private readonly handlers: StreamHandlers,
  ) {
    this.socket = new ReconnectingSocket(options, {
      onAttempt: () => {
        this.stats.connects += 1;
      },
      onRefused: () => {
        this.stats.rejected429 += 1;
      },
      onOpen: (socket) =>
        socket.send(
          JSON.stringify({ action: 'auth', key: this.options.keyId, secret: this.options.secretKey }),
        ),
      onMessage: (socket, data, isBinary) => this.onFrame(socket, isBinary ? null : String(data)),
      onClose: () => {
        const wasReady = this.ready;
        this.ready = false;
        if (!wasReady) this.stats.failures += 1;
        this.handlers.onDisconnect('closed');
      },
    });
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Connects; resolves on the first successful auth + subscribe, rejects after the connect timeout. */
  start(): Promise<void> {
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
      this.socket.start();
    });
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.socket.stop();
    this.ready = false;
  }

  private onFrame(socket: WebSocket, text: string | null): void {
    const payload: StreamMessage[] = [];
    for (const item of this.parse(text)) {
      if (item.T === 'success' && item.msg === 'authenticated') {
        const symbols = [...this.options.symbols];
        socket.send(JSON.stringify({ action: 'subscribe', trades: symbols, quotes: symbols }));
      } else if (item.T === 'subscription') {
        this.options.usage?.streamSymbols(this.options.symbols.length);
        this.ready = true;
        const reconnect = this.everReady;
        this.everReady = true;
        this.socket.resetBackoff();
        if (reconnect) this.stats.reconnects += 1;
        this.handlers.onReady({ reconnect });
      } else if (item.T === 'error') {
        // 406: another connection holds this key; 429-like pressure: back off harder.
        if (item.code === 406 || item.code === 429) this.socket.penalise();
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
