import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { ClientMessage, type ServerMessage } from '../../contracts/stream.js';
import type { DataSource } from '../../core/market-data/index.js';
import { type Channel, StreamClient, type StreamGateway } from './stream-gateway.js';

export interface StreamRoutesOptions {
  gateway: StreamGateway;
  source: () => DataSource;
  /** Known symbols; others are refused in the subscription ack. */
  isKnownSymbol: (symbol: string) => boolean;
  heartbeatMs?: number;
}

const CHANNELS: readonly Channel[] = ['trades', 'quotes', 'bars'];
const MAX_MESSAGE_BYTES = 16 * 1024;
/** Messages kept while the session lookup runs (a subscribe, perhaps a ping); later ones are dropped. */
const MAX_EARLY_MESSAGES = 16;

/** The realtime gateway at /api/v1/stream: session-authenticated, multiplexed, heartbeated. */
export const streamRoutes: FastifyPluginAsync<StreamRoutesOptions> = async (app, options) => {
  const { gateway } = options;
  const heartbeatMs = options.heartbeatMs ?? 30_000;

  app.get('/api/v1/stream', { websocket: true }, (socket: WebSocket, request) => {
    // Listen before the session lookup: a browser subscribes as soon as the socket opens, often before the
    // lookup (a database round trip) returns, and ws drops messages no listener takes. They wait here.
    const early: { data: RawData; isBinary: boolean }[] = [];
    let onMessage = (data: RawData, isBinary: boolean): void => {
      if (early.length < MAX_EARLY_MESSAGES) early.push({ data, isBinary });
    };
    socket.on('message', (data, isBinary) => onMessage(data, isBinary));
    // A failed lookup, or a failure setting the client up, closes the socket (never an unhandled rejection).
    request
      .caller()
      .then((caller) => start(socket, caller, early, (handler) => (onMessage = handler)))
      .catch((error: unknown) => {
        request.log.error({ err: error }, 'stream: setting up the connection failed');
        socket.close(1011, 'STREAM_SETUP_FAILED');
      });
  });

  function start(
    socket: WebSocket,
    caller: Awaited<ReturnType<FastifyRequest['caller']>>,
    early: readonly { data: RawData; isBinary: boolean }[],
    listen: (handler: (data: RawData, isBinary: boolean) => void) => void,
  ): void {
    if (!caller) {
      socket.send(
        JSON.stringify([{ T: 'error', code: 'AUTH_REQUIRED', msg: 'Sign in to stream market data.' }]),
      );
      socket.close(4401, 'AUTH_REQUIRED');
      return;
    }
    // Closed while the session was looked up: nothing to serve, and no close event will come to clean up.
    if (socket.readyState !== socket.OPEN) return;
    const client = new StreamClient(socket, caller.user.id);
    gateway.add(client);
    gateway.sendTo(client, { T: 'success', msg: 'connected', source: options.source() });
    gateway.sendTo(client, { T: 'success', msg: 'authenticated', source: options.source() });

    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    const heartbeat = setInterval(() => {
      if (!alive) {
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, heartbeatMs);

    const onMessage = (data: RawData, isBinary: boolean): void => {
      const text = isBinary ? '' : data.toString();
      if (text.length === 0 || text.length > MAX_MESSAGE_BYTES) {
        gateway.sendTo(client, {
          T: 'error',
          code: 'STREAM_INVALID_MESSAGE',
          msg: 'Send one JSON text message of at most 16 KiB.',
        });
        return;
      }
      handleMessage(client, text);
    };
    listen(onMessage);
    for (const message of early) onMessage(message.data, message.isBinary);
    socket.on('close', () => {
      clearInterval(heartbeat);
      gateway.remove(client);
    });
  }

  function handleMessage(client: StreamClient, text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      gateway.sendTo(client, { T: 'error', code: 'STREAM_INVALID_MESSAGE', msg: 'Not valid JSON.' });
      return;
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'message';
      gateway.sendTo(client, {
        T: 'error',
        code: 'STREAM_INVALID_MESSAGE',
        msg: `${where}: ${issue?.message ?? 'invalid'}`,
      });
      return;
    }
    const message = parsed.data;
    if (message.action === 'ping') {
      const pong: ServerMessage = {
        T: 'pong',
        t: new Date().toISOString(),
        ...(message.id !== undefined && { id: message.id }),
      };
      gateway.sendTo(client, pong);
      return;
    }
    for (const channel of CHANNELS) {
      const symbols = message[channel].filter((s) => s === '*' || options.isKnownSymbol(s));
      if (message.action === 'unsubscribe') gateway.unsubscribe(client, channel, symbols);
      else if (!gateway.subscribe(client, channel, symbols)) {
        gateway.sendTo(client, {
          T: 'error',
          code: 'STREAM_TOO_MANY_SYMBOLS',
          msg: `At most ${gateway.maxSymbols} symbols per channel on one connection.`,
        });
      }
    }
    gateway.sendTo(client, {
      T: 'subscription',
      trades: [...client.subscriptions.trades],
      quotes: [...client.subscriptions.quotes],
      bars: [...client.subscriptions.bars],
    });
  }
};
