import { decode, encode } from '@msgpack/msgpack';
import type { RawData, WebSocket } from 'ws';
import { type SimCredentials, checkCredentials } from './auth.js';
import type { TimeWriter } from './presenter.js';
import { rfc3339 } from './time.js';

/** Channels a client may subscribe to on the stock stream (`corrections`/`cancelErrors` follow `trades`). */
export const CHANNELS = [
  'trades',
  'quotes',
  'bars',
  'updatedBars',
  'dailyBars',
  'statuses',
  'lulds',
  'imbalances',
] as const;
/** One subscribable channel. */
export type Channel = (typeof CHANNELS)[number];

/** Alpaca's stream error codes and messages. */
export const STREAM_ERRORS = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed',
  403: 'already authenticated',
  404: 'auth timeout',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded',
  410: 'invalid subscribe action for this feed',
} as const;

/** What a session needs from its server: credentials, limits and the per-key connection registry. */
export interface SessionContext {
  credentials: SimCredentials;
  authTimeoutMs: number;
  /** Most distinct symbols across trades and quotes (`*` not counted). */
  symbolLimit: number;
  /** Claims the one connection `key` may hold on this feed; false when another session holds it. */
  claim(key: string, session: StreamSession): boolean;
  release(session: StreamSession): void;
}

const SYMBOL = /^(\*|[A-Za-z0-9.:/-]{1,24})$/;
const UNSUPPORTED = ['orderbooks', 'news'];

/** One client of the market data stream: Alpaca's auth and subscription protocol over JSON or msgpack. */
export class StreamSession {
  readonly subscriptions = Object.fromEntries(CHANNELS.map((c) => [c, new Set<string>()])) as Record<
    Channel,
    Set<string>
  >;
  /** How `t` is written for this client: RFC 3339 text (JSON) or a Date (msgpack timestamp extension). */
  readonly time: TimeWriter;
  private key: string | undefined;
  private readonly authTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    readonly codec: 'json' | 'msgpack',
    private readonly ctx: SessionContext,
  ) {
    this.time = codec === 'msgpack' ? (t) => new Date(t) : rfc3339;
    this.authTimer = setTimeout(() => this.fail(404, true), ctx.authTimeoutMs);
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', () => this.dispose());
    this.send([{ T: 'success', msg: 'connected' }]);
  }

  /** True once the client authenticated. */
  get authenticated(): boolean {
    return this.key !== undefined;
  }

  /** True when this client gets `channel` data for `symbol`. */
  wants(channel: Channel, symbol: string): boolean {
    const set = this.subscriptions[channel];
    return set.has(symbol) || set.has('*');
  }

  /** Sends one frame: an array of messages, encoded in the client's codec. */
  send(messages: readonly object[]): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(this.codec === 'msgpack' ? encode(messages) : JSON.stringify(messages));
  }

  /** Authenticates with a key pair (the `auth` action, or the APCA-* headers of the upgrade). */
  authenticate(key: unknown, secret: unknown): void {
    if (this.authenticated) return this.fail(403, false);
    if (checkCredentials(this.ctx.credentials, key, secret) !== 'ok') return this.fail(402, true);
    if (!this.ctx.claim(String(key), this)) return this.fail(406, true);
    this.key = String(key);
    clearTimeout(this.authTimer);
    this.send([{ T: 'success', msg: 'authenticated' }]);
  }

  /** Drops the connection without a closing handshake, like a network failure. */
  terminate(): void {
    this.socket.terminate();
  }

  private fail(code: keyof typeof STREAM_ERRORS, close: boolean): void {
    this.send([{ T: 'error', code, msg: STREAM_ERRORS[code] }]);
    if (close) this.socket.close(1000, STREAM_ERRORS[code]);
  }

  private dispose(): void {
    clearTimeout(this.authTimer);
    this.ctx.release(this);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let message: unknown;
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      message = isBinary ? decode(bytes) : JSON.parse(bytes.toString('utf8'));
    } catch {
      return this.fail(400, false);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message))
      return this.fail(400, false);
    const body = message as Record<string, unknown>;
    if (body.action === 'auth') return this.authenticate(body.key, body.secret);
    if (body.action !== 'subscribe' && body.action !== 'unsubscribe') return this.fail(400, false);
    if (!this.authenticated) return this.fail(401, false);
    this.changeSubscriptions(body, body.action === 'subscribe');
  }

  private changeSubscriptions(body: Record<string, unknown>, add: boolean): void {
    for (const name of UNSUPPORTED)
      if (Array.isArray(body[name]) && (body[name] as unknown[]).length > 0) return this.fail(410, false);
    const next = Object.fromEntries(CHANNELS.map((c) => [c, new Set(this.subscriptions[c])])) as Record<
      Channel,
      Set<string>
    >;
    for (const channel of CHANNELS) {
      const list = body[channel];
      if (list === undefined) continue;
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && SYMBOL.test(s)))
        return this.fail(400, false);
      for (const symbol of list as string[]) {
        if (add) next[channel].add(symbol);
        else next[channel].delete(symbol);
      }
    }
    const counted = new Set([...next.trades, ...next.quotes].filter((s) => s !== '*'));
    if (counted.size > this.ctx.symbolLimit) return this.fail(405, false);
    for (const channel of CHANNELS) this.subscriptions[channel] = next[channel];
    const state = Object.fromEntries(CHANNELS.map((c) => [c, [...this.subscriptions[c]]]));
    this.send([{ T: 'subscription', ...state, corrections: state.trades, cancelErrors: state.trades }]);
  }
}
