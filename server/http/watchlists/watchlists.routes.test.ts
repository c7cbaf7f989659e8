import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlSessionStore, SqlUserStore } from '../../adapters/db/sql-stores.js';
import { startSession } from '../../accounts/sessions.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

interface Session {
  cookie: string;
  csrf: string;
}

describe('watchlistRoutes', () => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;

  async function userSession(email: string, role: 'owner' | 'trader'): Promise<Session> {
    const db = t.database.handle.db;
    const id = crypto.randomUUID();
    await new SqlUserStore(db).insert({ id, email, passwordHash: 'x', role });
    const { token, session } = await startSession(
      { userId: id, userAgent: null, ip: null, now: new Date() },
      { sessions: new SqlSessionStore(db) },
    );
    return { cookie: `pulse_session=${token}`, csrf: session.csrfToken };
  }

  const call = (
    who: Session,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    t.app.http.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      ...(payload !== undefined && { payload: payload as object }),
    });

  beforeAll(async () => {
    t = await createTestApp();
    alice = await userSession('alice@example.com', 'owner');
    bob = await userSession('bob@example.com', 'trader');
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, renames, adds, removes and reorders symbols, in order', async () => {
    const created = await call(alice, 'POST', '/api/v1/watchlists', {
      name: 'Tech',
      symbols: ['aapl', 'MSFT'],
    });
    expect(created.statusCode).toBe(201);
    const list = created.json();
    expect(list).toMatchObject({ name: 'Tech', symbols: ['AAPL', 'MSFT'], position: 0 });
    expect(
      (await call(alice, 'POST', `/api/v1/watchlists/${list.id}/symbols`, { symbol: 'NVDA' })).json().symbols,
    ).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(
      (await call(alice, 'POST', `/api/v1/watchlists/${list.id}/symbols`, { symbol: 'NVDA' })).json().symbols,
    ).toHaveLength(3);
    const reordered = await call(alice, 'PATCH', `/api/v1/watchlists/${list.id}`, {
      name: 'Big tech',
      symbols: ['NVDA', 'AAPL', 'MSFT'],
    });
    expect(reordered.json()).toMatchObject({ name: 'Big tech', symbols: ['NVDA', 'AAPL', 'MSFT'] });
    const removed = await call(alice, 'DELETE', `/api/v1/watchlists/${list.id}/symbols/AAPL`);
    expect(removed.json().symbols).toEqual(['NVDA', 'MSFT']);
  });

  it('refuses unknown symbols and duplicate names with stable codes', async () => {
    const unknown = await call(alice, 'POST', '/api/v1/watchlists', { name: 'Bad', symbols: ['ZZZZ'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('MARKET_UNKNOWN_SYMBOL');
    const dup = await call(alice, 'POST', '/api/v1/watchlists', { name: 'big TECH' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('WATCHLIST_NAME_TAKEN');
    const empty = await call(alice, 'POST', '/api/v1/watchlists', { name: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('body.name');
  });

  it('reorders watchlists only when every id is given once', async () => {
    const second = (
      await call(alice, 'POST', '/api/v1/watchlists', { name: 'Energy', symbols: ['XOM'] })
    ).json();
    const lists = (await call(alice, 'GET', '/api/v1/watchlists')).json();
    expect(lists.map((w: { name: string }) => w.name)).toEqual(['Big tech', 'Energy']);
    const ids = lists.map((w: { id: string }) => w.id);
    const bad = await call(alice, 'PUT', '/api/v1/watchlists/order', { ids: [second.id] });
    expect(bad.json().code).toBe('WATCHLIST_INVALID_ORDER');
    const ok = await call(alice, 'PUT', '/api/v1/watchlists/order', { ids: [...ids].reverse() });
    expect(ok.json().map((w: { name: string; position: number }) => [w.name, w.position])).toEqual([
      ['Energy', 0],
      ['Big tech', 1],
    ]);
  });

  it('keeps each user’s watchlists private: another user’s id is not found and unchanged', async () => {
    const [aliceList] = (await call(alice, 'GET', '/api/v1/watchlists')).json() as {
      id: string;
      name: string;
    }[];
    expect((await call(bob, 'GET', '/api/v1/watchlists')).json()).toEqual([]);
    for (const [method, url, payload] of [
      ['PATCH', `/api/v1/watchlists/${aliceList!.id}`, { name: 'hijacked' }],
      ['POST', `/api/v1/watchlists/${aliceList!.id}/symbols`, { symbol: 'TSLA' }],
      ['DELETE', `/api/v1/watchlists/${aliceList!.id}/symbols/XOM`, undefined],
      ['DELETE', `/api/v1/watchlists/${aliceList!.id}`, undefined],
    ] as const) {
      const res = await call(bob, method, url, payload);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('WATCHLIST_NOT_FOUND');
    }
    const after = (await call(alice, 'GET', '/api/v1/watchlists')).json()[0];
    expect(after).toEqual(expect.objectContaining({ id: aliceList!.id, name: aliceList!.name }));
  });

  it('needs a session', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/v1/watchlists' });
    expect(res.statusCode).toBe(401);
  });
});
