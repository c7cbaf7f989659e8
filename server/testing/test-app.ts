import { sql } from 'kysely';
import { ManualClock } from '../../core/kernel/index.js';
import { MarketSimulator } from '../../core/market-data/index.js';
import crypto from 'node:crypto';
import { SqlAuditLog, SqlSessionStore, SqlUserStore } from '../adapters/db/sql-stores.js';
import {
  SqlApiTokenStore,
  SqlMfaStore,
  SqlSettingsStore,
  SqlSignInThrottleStore,
  SqlUserSecretStore,
} from '../adapters/db/sql-account-stores.js';
import { SqlEmailTokenStore, SqlIdentityStore } from '../adapters/db/sql-identity-stores.js';
import { SqlPasskeyStore } from '../adapters/db/sql-passkey-store.js';
import { keyring, masterKey } from '../crypto/envelope.js';
import { SqlTradingStore } from '../adapters/db/sql-trading-store.js';
import { SqlWatchlistStore } from '../adapters/db/sql-watchlist-store.js';
import { SimFeed } from '../adapters/feeds/sim/sim-feed.js';
import { type App, type AppDeps, buildApp, type SecurityDeps } from '../app.js';
import { LiveMarket } from '../market/live-market.js';
import { TradingService } from '../trading/trading-service.js';
import { freshPglite, type TestDatabase } from './databases.js';
import { type TestSignals, testSignals } from './test-signals.js';

/** A trading minute on a regular session day: Tuesday 2024-03-12 10:30 ET. */
export const IN_SESSION = Date.parse('2024-03-12T14:30:00Z');

/** An app over a fresh in-memory database and the simulator on a manual clock. */
export interface TestApp {
  app: App;
  database: TestDatabase;
  clock: ManualClock;
  feed: SimFeed;
  live: LiveMarket;
  /** The paper trading service, when asked for with `{ trading: true }`. */
  trading: TradingService | undefined;
  /** Live signals and backtest jobs, when asked for with `{ signals: true }`. */
  signals: TestSignals | undefined;
  close(): Promise<void>;
}

/** Builds the real app (no listen) for inject()-based tests; pass `overrides` to swap a dependency. */
export async function createTestApp(
  overrides: Partial<AppDeps> = {},
  options: {
    database?: TestDatabase;
    trading?: boolean;
    signals?: boolean;
    /** How often the sim feed and the paper accounts step; fast by default, for tests (20 and 50 ms). */
    cadence?: { feedTickMs: number; tradingTickMs: number };
  } = {},
): Promise<TestApp> {
  const owned = options.database === undefined;
  const database = options.database ?? (await freshPglite());
  const clock = new ManualClock(IN_SESSION);
  const simulator = new MarketSimulator({ seed: 'test' });
  const feed = new SimFeed({ simulator, clock, tickMs: options.cadence?.feedTickMs ?? 20 });
  const live = new LiveMarket(feed, () => clock.now());
  const db = database.handle.db;
  const trading = options.trading
    ? new TradingService({
        store: new SqlTradingStore(db),
        market: live,
        now: () => clock.now(),
        isKnownSymbol: (symbol) => simulator.instruments.some((i) => i.symbol === symbol),
        tickMs: options.cadence?.tradingTickMs ?? 50,
      })
    : undefined;
  await trading?.start();
  const signals = options.signals ? await testSignals(database, { live, feed, clock }) : undefined;
  const audit = new SqlAuditLog(db, overrides.now ?? (() => new Date()));
  const app = await buildApp({
    users: new SqlUserStore(db),
    sessions: new SqlSessionStore(db),
    audit,
    security: testSecurity(database, overrides.now),
    watchlists: new SqlWatchlistStore(db),
    probes: [{ name: 'database', check: async () => (await database.handle.ping(), { ok: true }) }],
    market: { live, history: feed, instruments: simulator.instruments },
    cookieSecure: 'auto',
    trustProxy: false,
    streamFlushMs: 10,
    ...(trading && { trading }),
    ...(signals && { signals }),
    ...overrides,
  });
  return {
    app,
    database,
    clock,
    feed,
    live,
    trading,
    signals,
    close: async () => {
      await app.http.close();
      await live.stop();
      await trading?.stop();
      await signals?.live.stop();
      await signals?.backtests.stop();
      if (owned) await database.dispose();
    },
  };
}

/** The accounts-and-security stores over a test database, with a fresh random master key. */
export function testSecurity(database: TestDatabase, now?: () => Date): SecurityDeps {
  const db = database.handle.db;
  return {
    apiTokens: new SqlApiTokenStore(db),
    auditReader: new SqlAuditLog(db, now ?? (() => new Date())),
    throttle: new SqlSignInThrottleStore(db),
    mfa: new SqlMfaStore(db),
    settings: new SqlSettingsStore(db),
    secrets: new SqlUserSecretStore(db),
    keyring: keyring(masterKey(crypto.randomBytes(32))),
    emailTokens: new SqlEmailTokenStore(db),
    identities: new SqlIdentityStore(db),
    passkeys: new SqlPasskeyStore(db),
  };
}

/** Empties every table, so one database can serve many tests of a file. */
export async function resetDatabase(database: TestDatabase): Promise<void> {
  await sql`truncate users, sessions, settings, audit_log, watchlists, api_tokens, sign_in_throttle, user_secrets, mfa_recovery_codes, mfa_challenges, email_tokens, user_identities, oidc_flows, passkeys, webauthn_challenges restart identity cascade`.execute(
    database.handle.db,
  );
}

/** The `name=value` of a Set-Cookie header, for sending back as Cookie. */
export function cookieFrom(setCookie: string | string[] | number | undefined): string {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return String(first ?? '').split(';')[0] ?? '';
}
