import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { type SimCredentials, requestCredentials } from './auth.js';
import type { StreamHub } from './stream-hub.js';
import { type SessionContext, StreamSession } from './stream-session.js';

/** Options of the market data stream routes. */
export interface StreamRoutesOptions {
  hub: StreamHub;
  credentials: SimCredentials;
  /** Time a client has to authenticate (Alpaca: 10 s). */
  authTimeoutMs: number;
  /** Most distinct trade/quote symbols per connection. */
  symbolLimit: number;
}

/** Feeds served; all carry the same simulated tape. `test` is Alpaca's always-on test stream. */
export const STREAM_FEEDS = ['iex', 'sip', 'delayed_sip', 'test'] as const;

/** The market data stream at `/v2/{feed}`: Alpaca's protocol, JSON or msgpack, one connection per key and feed. */
export const streamRoutes: FastifyPluginAsync<StreamRoutesOptions> = async (app, options) => {
  for (const feed of STREAM_FEEDS) {
    const holders = new Map<string, StreamSession>();
    const context: SessionContext = {
      credentials: options.credentials,
      authTimeoutMs: options.authTimeoutMs,
      symbolLimit: options.symbolLimit,
      claim(key, session) {
        const holder = holders.get(key);
        if (holder && holder !== session) return false;
        holders.set(key, session);
        return true;
      },
      release(session) {
        for (const [key, holder] of holders) if (holder === session) holders.delete(key);
        options.hub.remove(session);
      },
    };
    app.get(`/v2/${feed}`, { websocket: true }, (socket: WebSocket, request) => {
      const contentType = String(request.headers['content-type'] ?? '');
      const session = new StreamSession(
        socket,
        contentType.includes('application/msgpack') ? 'msgpack' : 'json',
        context,
      );
      options.hub.add(session);
      const { key, secret } = requestCredentials(request);
      if (key !== undefined || secret !== undefined) session.authenticate(key, secret);
    });
  }
};
