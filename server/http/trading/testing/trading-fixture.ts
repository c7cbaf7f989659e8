import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { startSession } from '../../../accounts/sessions.js';
import { SqlSessionStore, SqlUserStore } from '../../../adapters/db/sql-stores.js';
import type { TestDatabase } from '../../../testing/databases.js';
import type { App } from '../../../app.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';

/** A signed-in user as a test sees them. */
export interface TestUser {
  id: string;
  cookie: string;
  csrf: string;
}

/** A test app with paper trading, rate limits off (tests burst orders), and helpers to call it. */
export interface TradingTestApp extends TestApp {
  user(role: 'owner' | 'admin' | 'trader' | 'viewer', email?: string): Promise<TestUser>;
  call(
    who: TestUser,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
  /** Moves market time in steps so the simulated feed delivers what happened. */
  advance(ms: number, steps?: number): Promise<void>;
}

/** Inserts a user with `role` and signs them in (a session cookie and its CSRF token). */
export async function signedInUser(
  db: TestDatabase['handle']['db'],
  role: 'owner' | 'admin' | 'trader' | 'viewer',
  email = `${role}-${crypto.randomUUID()}@example.com`,
): Promise<TestUser> {
  const id = crypto.randomUUID();
  await new SqlUserStore(db).insert({ id, email, passwordHash: 'x', role });
  const { token, session } = await startSession(
    { userId: id, userAgent: null, ip: null, now: new Date() },
    { sessions: new SqlSessionStore(db) },
  );
  return { id, cookie: `pulse_session=${token}`, csrf: session.csrfToken };
}

/** Calls `app` as `who` (session cookie and CSRF header) through inject(). */
export function callAs(
  app: App,
  who: TestUser,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.http.inject({
    method,
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
    ...(payload !== undefined && { payload: payload as object }),
  });
}

/** Builds the trading test app (over `database` to simulate a restart) and starts the market feed. */
export async function tradingTestApp(options: { database?: TestDatabase } = {}): Promise<TradingTestApp> {
  const t = await createTestApp({ rateLimit: 'off' }, { ...options, trading: true });
  await t.live.start();
  const db = t.database.handle.db;
  return {
    ...t,
    user: (role, email) => signedInUser(db, role, email),
    call: (who, method, url, payload) => callAs(t.app, who, method, url, payload),
    async advance(ms, steps = 10) {
      for (let i = 0; i < steps; i += 1) {
        t.clock.advance(ms / steps);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
  };
}

/** Waits until `probe` returns a value (polls every 20 ms). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
