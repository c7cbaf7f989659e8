import { decode, encode } from '@msgpack/msgpack';
import type { FastifyPluginAsync } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { TradeUpdate } from '../../core/trading/index.js';
import { type SimCredentials, checkCredentials } from './auth.js';
import type { SimAccounts } from './sim-accounts.js';
import { tradeUpdateJson } from './trading-json.js';

/** Options of the trade_updates stream route. */
export interface TradeStreamOptions {
  accounts: SimAccounts;
  credentials: SimCredentials;
  /** Every open session, so fault injection can drop them. */
  sessions: Set<TradeStreamSession>;
}

/**
 * One client of Alpaca's trading stream at `/stream`: `authenticate` (or `auth`) then `listen`, then the
 * account's trade_updates. Frames are single objects `{stream, data}`: JSON in binary frames as Alpaca's
 * paper endpoint sends them, or MessagePack when the upgrade asked for `application/msgpack`.
 */
export class TradeStreamSession {
  private unsubscribe: (() => void) | undefined;
  private key: string | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly codec: 'json' | 'msgpack',
    private readonly options: TradeStreamOptions,
  ) {
    options.sessions.add(this);
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', () => this.dispose());
  }

  /** Drops the connection without a closing handshake, like a network failure. */
  terminate(): void {
    this.socket.terminate();
  }

  /** Authenticates with a key pair; answers `authorization` authorized or unauthorized. */
  authenticate(key: unknown, secret: unknown, action: string): void {
    if (checkCredentials(this.options.credentials, key, secret) !== 'ok') {
      this.send('authorization', {
        status: 'unauthorized',
        action,
        message: 'access key verification failed',
      });
      this.socket.close(1008, 'unauthorized');
      return;
    }
    this.key = String(key);
    this.options.accounts.forKey(this.key);
    this.send('authorization', { status: 'authorized', action });
  }

  private send(stream: string, data: Record<string, unknown>): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const frame = { stream, data };
    this.socket.send(this.codec === 'msgpack' ? encode(frame) : Buffer.from(JSON.stringify(frame)), {
      binary: true,
    });
  }

  private listen(streams: unknown): void {
    if (this.key === undefined) {
      this.send('authorization', { status: 'unauthorized', action: 'listen' });
      return;
    }
    const wanted = Array.isArray(streams) ? streams.filter((s): s is string => typeof s === 'string') : [];
    const on = wanted.includes('trade_updates');
    if (on && !this.unsubscribe) {
      const account = this.options.accounts.forKey(this.key);
      this.unsubscribe = account.broker.onTradeUpdate((update: TradeUpdate) =>
        this.send('trade_updates', tradeUpdateJson(update)),
      );
    } else if (!on) {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
    }
    this.send('listening', { streams: on ? ['trade_updates'] : [] });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let message: unknown;
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      message = isBinary && this.codec === 'msgpack' ? decode(bytes) : JSON.parse(bytes.toString('utf8'));
    } catch {
      return this.send('error', { error_message: 'invalid syntax' });
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message))
      return this.send('error', { error_message: 'invalid syntax' });
    const body = message as Record<string, unknown>;
    const data_ = (typeof body.data === 'object' && body.data !== null ? body.data : {}) as Record<
      string,
      unknown
    >;
    if (body.action === 'authenticate')
      return this.authenticate(data_.key_id, data_.secret_key, 'authenticate');
    if (body.action === 'auth') return this.authenticate(body.key, body.secret, 'auth');
    if (body.action === 'listen') return this.listen(data_.streams);
    this.send('error', { error_message: `unknown action: ${String(body.action)}` });
  }

  private dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.options.sessions.delete(this);
  }
}

/** The trade_updates stream at `/stream`. */
export const tradeStreamRoutes: FastifyPluginAsync<TradeStreamOptions> = async (app, options) => {
  app.get('/stream', { websocket: true }, (socket: WebSocket, request) => {
    const contentType = String(request.headers['content-type'] ?? '');
    new TradeStreamSession(socket, contentType.includes('application/msgpack') ? 'msgpack' : 'json', options);
  });
};
