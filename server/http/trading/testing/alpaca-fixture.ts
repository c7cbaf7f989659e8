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
import { type App, buildApp } from '../../../app.js';
import { LiveMarket } from '../../../market/live-market.js';
import { type SimServer, buildSimServer } from '../../../sim/index.js';
import { freshPglite, type TestDatabase } from '../../../testing/databases.js';
import { IN_SESSION, testSecurity } from '../../../testing/test-app.js';
import type { BrokerKeys } from '../../../trading/broker-connection.js';
import { TradingService } from '../../../trading/trading-service.js';
import { callAs, signedInUser, type TestUser } from './trading-fixture.js';

/** Pulse with users' Alpaca accounts pointed at a real `pulse sim` on the same simulated market and clock. */
export interface AlpacaTestApp {
  app: App;
  sim: SimServer;
  trading: TradingService;
  clock: ManualClock;
  live: LiveMarket;
  database: TestDatabase;
  audit: SqlAuditLog;
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
  close(): Promise<void>;
}

/** Builds the app and the sim; both follow the seed-`test` simulator on one manual clock. */
export async function alpacaTestApp(): Promise<AlpacaTestApp> {
  const database = await freshPglite();
  const db = database.handle.db;
  const clock = new ManualClock(IN_SESSION);
  const simulator = new MarketSimulator({ seed: 'test' });
  const sim = await buildSimServer({ simulator, clock, tickMs: 20 });
  const simOrigin = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const feed = new SimFeed({ simulator, clock, tickMs: 20 });
  const live = new LiveMarket(feed, () => clock.now());
  const security = testSecurity(database);
  const vault = new SecretVault(security.keyring, security.secrets);
  const connections: AlpacaTestApp['connections'] = [];
  const audit = new SqlAuditLog(db);
  const trading = new TradingService({
    store: new SqlTradingStore(db),
    market: live,
    now: () => clock.now(),
    isKnownSymbol: (symbol) => simulator.instruments.some((i) => i.symbol === symbol),
    tickMs: 50,
    brokers: {
      choices: new SqlBrokerChoiceStore(db),
      keys: (userId) => loadBrokerKeys(userId, { vault }),
      connect: (keys) => {
        const broker = new AlpacaBroker({
          rest: { baseUrl: simOrigin, keyId: keys.keyId, secretKey: keys.secretKey, timeoutMs: 5_000 },
          stream: {
            url: `${simOrigin.replace('http', 'ws')}/stream`,
            backoff: { baseMs: 50, maxMs: 200 },
            heartbeatMs: 1_000,
          },
          now: () => clock.now(),
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
    sim,
    trading,
    clock,
    live,
    database,
    audit,
    connections,
    origin,
    user: (role) => signedInUser(db, role),
    call: (who, method, url, payload) => callAs(app, who, method, url, payload),
    async advance(ms, steps = 10) {
      for (let i = 0; i < steps; i += 1) {
        clock.advance(ms / steps);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
    async close() {
      await app.http.close();
      await live.stop();
      await trading.stop();
      await sim.close();
      await database.dispose();
    },
  };
}
