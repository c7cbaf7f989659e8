import { STATUS_CODES } from 'node:http';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Clock } from '../../core/kernel/index.js';
import type { MarketSimulator } from '../../core/market-data/index.js';
import { AlpacaError, installAlpacaErrors } from './alpaca-error.js';
import { requireRestCredentials } from './auth.js';
import { FaultInjector, type SimFaults } from './faults.js';
import { accountRoutes } from './rest-account.js';
import { marketDataRoutes } from './rest-market-data.js';
import { orderRoutes } from './rest-orders.js';
import { tradingRoutes } from './rest-trading.js';
import { type BrokerMarket, SimAccounts } from './sim-accounts.js';
import { streamRoutes } from './stream.js';
import { StreamHub } from './stream-hub.js';
import { type TradeStreamSession, tradeStreamRoutes } from './trade-stream.js';

/** Options of the Alpaca-compatible simulator server. */
export interface SimServerOptions {
  simulator: MarketSimulator;
  /** The simulated clock: no response or stream message is ever later than its now. */
  clock: Clock;
  /** The only key pair accepted; when unset any non-empty pair is. */
  key?: string;
  secret?: string;
  logger?: FastifyBaseLogger;
  faults?: SimFaults;
  /** Real milliseconds between stream frames (default 250). */
  tickMs?: number;
  /** Time a stream client has to authenticate (default 10 000 ms, as Alpaca). */
  authTimeoutMs?: number;
  /** Most distinct trade+quote symbols per stream connection (default 10 000). */
  symbolLimit?: number;
  /**
   * What the paper brokers behind the Trading API trade against: the simulated tape (default), or only
   * quotes and trades injected through `sim.accounts` (for behaviour suites that script the market).
   */
  brokerMarket?: BrokerMarket;
}

/** A built simulator server: listen on `app`, then `close()` to stop streams, timers and the app. */
export interface SimServer {
  app: FastifyInstance;
  /** The stream hub, exposed so tests can drive ticks or drop connections. */
  hub: StreamHub;
  /** The simulated accounts, one paper broker per API key; tests inject quotes and trades here. */
  accounts: SimAccounts;
  faults: FaultInjector;
  close(): Promise<void>;
}

/** Builds the Alpaca-compatible facade over the simulated exchange (its own Fastify app, not Pulse's). */
export async function buildSimServer(options: SimServerOptions): Promise<SimServer> {
  const { simulator, clock } = options;
  const credentials = { key: options.key, secret: options.secret };
  const app = options.logger ? Fastify({ loggerInstance: options.logger }) : Fastify({ logger: false });
  installAlpacaErrors(app);
  // Alpaca takes an empty body with `Content-Type: application/json` (bots send it on DELETE): so does the sim.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AlpacaError(400, 40010001, 'request body format is invalid'), undefined);
    }
  });

  const accounts = new SimAccounts({
    simulator,
    clock,
    market: options.brokerMarket ?? 'simulator',
    onError: (err) => app.log.error({ err }, 'sim: paper broker step failed'),
  });
  const hub = new StreamHub({
    simulator,
    clock,
    tickMs: options.tickMs,
    onError: (err) => app.log.error({ err }, 'sim: stream tick failed'),
    onAdvance: (from, to) => void accounts.advance(from, to),
  });
  const tradeSessions = new Set<TradeStreamSession>();
  const faults = new FaultInjector(options.faults ?? {}, () => {
    for (const session of hub.all()) session.terminate();
    for (const session of tradeSessions) session.terminate();
  });
  app.addHook('onRequest', async (request, reply) => {
    const refusal = faults.refusal();
    if (!refusal) return;
    const body = JSON.stringify({ code: 42910000, message: 'too many requests' });
    if (request.headers.upgrade?.toLowerCase() === 'websocket') {
      // A refused upgrade's socket belongs to no HTTP response cycle: answer on it raw and close it.
      reply.hijack();
      request.raw.socket.end(
        `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\nRetry-After: ${refusal.retryAfterSeconds}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    reply.header('retry-after', String(refusal.retryAfterSeconds));
    throw new AlpacaError(refusal.status, 42910000, 'too many requests');
  });

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(async (rest) => {
    rest.addHook('onRequest', async (request) => requireRestCredentials(credentials, request));
    await rest.register(marketDataRoutes, { simulator, clock });
    await rest.register(tradingRoutes, { instruments: simulator.instruments, clock });
    await rest.register(orderRoutes, { accounts });
    await rest.register(accountRoutes, { accounts, simulator, clock });
  });
  await app.register(tradeStreamRoutes, { accounts, credentials, sessions: tradeSessions });
  await app.register(streamRoutes, {
    hub,
    credentials,
    authTimeoutMs: options.authTimeoutMs ?? 10_000,
    symbolLimit: options.symbolLimit ?? 10_000,
  });

  app.addHook('onClose', async () => {
    hub.stop();
    faults.stop();
  });
  hub.start();
  faults.start();
  return { app, hub, accounts, faults, close: () => app.close() };
}
