import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlSessionStore, SqlUserStore } from '../../adapters/db/sql-stores.js';
import { startSession } from '../../accounts/sessions.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

interface Session {
  cookie: string;
  csrf: string;
}

const REQUEST = {
  symbol: 'AAPL',
  timeframe: '1Day',
  from: '2024-01-01',
  to: '2024-03-01',
  entry: 'close > sma(close, 5)',
  exit: 'close < sma(close, 5)',
  slippageBps: 2,
  commission: '1',
};

describe('backtestRoutes', () => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;

  async function userSession(email: string): Promise<Session> {
    const db = t.database.handle.db;
    const id = crypto.randomUUID();
    await new SqlUserStore(db).insert({ id, email, passwordHash: 'x', role: 'trader' });
    const { token, session } = await startSession(
      { userId: id, userAgent: null, ip: null, now: new Date() },
      { sessions: new SqlSessionStore(db) },
    );
    return { cookie: `pulse_session=${token}`, csrf: session.csrfToken };
  }

  const call = (who: Session, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.app.http.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      ...(payload !== undefined && { payload: payload as object }),
    });

  beforeAll(async () => {
    t = await createTestApp({}, { signals: true });
    alice = await userSession('alice@example.com');
    bob = await userSession('bob@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it('queues a backtest, reports progress, and reopens the stored report once done; others get 404', async () => {
    const queued = await call(alice, 'POST', '/api/v1/backtests', REQUEST);
    expect(queued.statusCode).toBe(202);
    const id = queued.json().id as string;
    let job = queued.json();
    for (let i = 0; i < 300 && (job.status === 'queued' || job.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await call(alice, 'GET', `/api/v1/backtests/${id}`)).json();
      expect(job.progress).toBeGreaterThanOrEqual(0);
    }
    expect(job.status).toBe('done');
    expect(job.progress).toBe(1);
    expect(job.result.bars).toBeGreaterThan(30);
    expect(job.result.trades.length).toBeGreaterThan(0);
    expect(job.result.metrics).toHaveProperty('sharpe');
    expect((await call(bob, 'GET', `/api/v1/backtests/${id}`)).statusCode).toBe(404);
    expect((await call(bob, 'DELETE', `/api/v1/backtests/${id}`)).statusCode).toBe(404);
    expect((await call(alice, 'GET', '/api/v1/backtests')).json().map((j: { id: string }) => j.id)).toEqual([
      id,
    ]);
    // Canceling a finished job leaves its report.
    expect((await call(alice, 'DELETE', `/api/v1/backtests/${id}`)).json().status).toBe('done');
  });

  it('answers 422 with the line and column when the entry rule does not check', async () => {
    const res = await call(alice, 'POST', '/api/v1/backtests', { ...REQUEST, entry: 'close > sma(close, 5' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'SIGNALS_RULE_INVALID', errors: [{ line: 1 }] });
  });
});
