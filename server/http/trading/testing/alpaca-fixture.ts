import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../../../../core/kernel/index.js';
import { MarketSimulator } from '../../../../core/market-data/index.js';
import { loadBrokerKeys } from '../../../accounts/broker-keys.js';
import { SecretVault } from '../../../accounts/user-secrets.js';
import { AlpacaBroker } from '../../../adapters/brokers/alpaca/index.js';
import { SqlBrokerChoiceStore } from '../../../adapters/db/sql-broker-choice-store.js';
import { SqlTradingStore } from '../../../adapters/db/sql-trading-store.js';
import { SqlAuditLog, SqlSessionStore, SqlUserStore } from '../../../adapters/db/sql-stores.js';
import { SqlWatchlistStore } from '../../../adapters/db/sql-watchlist-store.js';
import { SimFeed } from '../../../adapters/feeds/sim/sim-feed.js';
import { type App, type SecurityDeps, buildApp } from '../../../app.js';
import { LiveMarket } from '../../../market/live-market.js';
import { type SimServer, buildSimServer } from '../../../sim/index.js';
import { freshPglite, type TestDatabase } from '../../../testing/databases.js';
import { IN_SESSION, testSecurity } from '../../../testing/test-app.js';
import type { BrokerKeys } from '../../../trading/broker-connection.js';
import { TradingService } from '../../../trading/trading-service.js';
import { callAs, signedInUser, type TestUser } from './trading-fixture.js';

/** A listening `pulse sim` with the market and clock it follows (kept across a Pulse restart). */
export interface SimHandle {
  sim: SimServer;
  origin: string;
  simulator: MarketSimulator;
  clock: ManualClock;
}

/** What to build the test app over: an existing database and sim (a restart), or the sim's only key pair. */
export interface AlpacaTestAppOptions {
  database?: TestDatabase;
  sim?: SimHandle;
  credentials?: { key: string; secret: string };
  /** The master keys the saved broker keys were encrypted under (a restart keeps them). */
  keyring?: SecurityDeps['keyring'];
}

/** Pulse with users' Alpaca accounts pointed at a real `pulse sim` on the same simulated market and clock. */
export interface AlpacaTestApp {
  app: App;
  /** The sim as it is now (replaced by `restartSim`). */
  readonly sim: SimServer;
  readonly simHandle: SimHandle;
  vault: SecretVault;
  keyring: SecurityDeps['keyring'];
  trading: TradingService;
  clock: ManualClock;
  live: LiveMarket;
  database: TestDatabase;
  audit: SqlAuditLog;
  /** What the trading service logged, in order. */
  logs: { message: string; error: unknown }[];
  /** Every broker connection made, with the keys it was made from. */
  connections: { keys: BrokerKeys; broker: AlpacaBroker }[];
  /** Pulse's own origin (listening, for the WebSocket). */
  origin: string;
  user(role: 'owner' | 'admin' | 'trader' | 'viewer'): Promise<TestUser>;
  call(
    who: TestUser,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
  /** Moves market time in steps so both the app's feed and the sim's brokers see it. */
  advance(ms: number, steps?: number): Promise<void>;
  /** Closes the sim and starts a new one on the same origin accepting only `credentials` (its accounts start afresh). */
  restartSim(credentials: { key: string; secret: string }): Promise<void>;
  /** Closes the app, and the database and sim unless they were passed in. */
  close(): Promise<void>;
}

/** Starts a sim following the seed-`test` simulator on a manual clock (on `port`, or any free one). */
export async function startSim(
  options: { credentials?: { key: string; secret: string }; port?: number; from?: SimHandle } = {},
): Promise<SimHandle> {
  const clock = options.from?.clock ?? new ManualClock(IN_SESSION);
  const simulator = options.from?.simulator ?? new MarketSimulator({ seed: 'test' });
  const sim = await buildSimServer({ simulator, clock, tickMs: 20, ...options.credentials });
  const origin = await sim.app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { sim, origin, simulator, clock };
}

/** Builds the app and the sim; both follow the seed-`test` simulator on one manual clock. */
export async function alpacaTestApp(options: AlpacaTestAppOptions = {}): Promise<AlpacaTestApp> {
  const database = options.database ?? (await freshPglite());
  const db = database.handle.db;
  let simHandle =
    options.sim ?? (await startSim({ ...(options.credentials && { credentials: options.credentials }) }));
  const { clock, simulator, origin: simOrigin } = simHandle;
  const feed = new SimFeed({ simulator, clock, tickMs: 20 });
  const live = new LiveMarket(feed, () => clock.now());
  const security = { ...testSecurity(database), ...(options.keyring && { keyring: options.keyring }) };
  const vault = new SecretVault(security.keyring, security.secrets);
  const connections: AlpacaTestApp['connections'] = [];
  const logs: AlpacaTestApp['logs'] = [];
  const audit = new SqlAuditLog(db);
  const trading = new TradingService({
    store: new SqlTradingStore(db),
    market: live,
    now: () => clock.now(),
    isKnownSymbol: (symbol) => simulator.instruments.some((i) => i.symbol === symbol),
    tickMs: 50,
    log: (error, message) => logs.push({ message, error }),
    brokers: {
      choices: new SqlBrokerChoiceStore(db),
      keys: (userId) => loadBrokerKeys(userId, { vault }),
      connect: (keys, events) => {
        const broker = new AlpacaBroker({
          rest: { baseUrl: simOrigin, keyId: keys.keyId, secretKey: keys.secretKey, timeoutMs: 5_000 },
          stream: {
            url: `${simOrigin.replace('http', 'ws')}/stream`,
            backoff: { baseMs: 50, maxMs: 200 },
            heartbeatMs: 1_000,
          },
          now: () => clock.now(),
          onUnauthorized: events.unauthorized,
        });
        connections.push({ keys, broker });
        return { broker, now: () => clock.now(), start: () => broker.start(), stop: () => broker.stop() };
      },
      audit,
    },
  });
  await trading.start();
  const app = await buildApp({
    users: new SqlUserStore(db),
    sessions: new SqlSessionStore(db),
    audit,
    security,
    watchlists: new SqlWatchlistStore(db),
    probes: [],
    market: { live, history: feed, instruments: simulator.instruments },
    cookieSecure: 'auto',
    trustProxy: false,
    streamFlushMs: 10,
    rateLimit: 'off',
    trading,
  });
  await live.start();
  const origin = await app.http.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    get sim() {
      return simHandle.sim;
    },
    get simHandle() {
      return simHandle;
    },
    vault,
    keyring: security.keyring,
    trading,
    clock,
    live,
    database,
    audit,
    connections,
    logs,
    origin,
    user: (role) => signedInUser(db, role),
    call: (who, method, url, payload) => callAs(app, who, method, url, payload),
    async advance(ms, steps = 10) {
      for (let i = 0; i < steps; i += 1) {
        clock.advance(ms / steps);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
    async restartSim(credentials) {
      await simHandle.sim.close();
      const port = Number(new URL(simOrigin).port);
      simHandle = await startSim({ credentials, port, from: simHandle });
    },
    async close() {
      await app.http.close();
      await live.stop();
      await trading.stop();
      if (!options.sim) await simHandle.sim.close();
      if (!options.database) await database.dispose();
    },
  };
}
