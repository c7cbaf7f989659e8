import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addUser, type Browser, mintToken, setupOwner } from '../../testing/accounts.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { createTestApp, resetDatabase, type TestApp } from '../../testing/test-app.js';

describe('tokenRoutes', () => {
  let database: TestDatabase;
  let t: TestApp;
  let now: Date;
  let owner: Browser;
  beforeAll(async () => {
    database = await freshPglite();
  });
  afterAll(async () => {
    await database.dispose();
  });
  beforeEach(async () => {
    await t?.close();
    await resetDatabase(database);
    now = new Date('2026-03-02T12:00:00Z');
    t = await createTestApp({ now: () => now, rateLimit: 'off' }, { database });
    owner = await setupOwner(t);
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('shows a new pulse_ token once, stores only its hash, and lists it without the token', async () => {
    const { token, id } = await mintToken(t, owner, 'read', 30);
    expect(token).toMatch(/^pulse_[0-9a-f]{64}$/);
    const list = await t.app.http.inject({ method: 'GET', url: '/api/v1/tokens', headers: owner.headers });
    expect(list.json()).toEqual([
      expect.objectContaining({ id, scope: 'read', expiresAt: '2026-04-01T12:00:00.000Z', revokedAt: null }),
    ]);
    expect(list.body).not.toContain(token.slice(6));
    const rows = await database.handle.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token.slice(6));
  });

  it('authenticates a bearer token without CSRF, and a read token may read but not write', async () => {
    const { token } = await mintToken(t, owner, 'read');
    const me = await t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ email: 'owner@example.com', csrfToken: '' });
    const write = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/watchlists',
      headers: bearer(token),
      payload: { name: 'Tech' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ code: 'AUTH_TOKEN_SCOPE' });
  });

  it('lets a trade token write its user’s data but not manage users or mint tokens', async () => {
    const { token } = await mintToken(t, owner, 'trade');
    const write = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/watchlists',
      headers: bearer(token),
      payload: { name: 'Tech' },
    });
    expect(write.statusCode).toBe(201);
    const users = await t.app.http.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) });
    expect(users.json()).toMatchObject({ code: 'AUTH_TOKEN_SCOPE' });
    const mint = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(token),
      payload: { name: 'more', scope: 'admin' },
    });
    expect(mint.statusCode).toBe(403);
  });

  it('never gives a token more than its user’s role: an admin-scope token of a viewer still cannot write', async () => {
    const viewer = await addUser(t, owner, 'viewer@example.com', 'viewer');
    const { token } = await mintToken(t, viewer, 'admin');
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/watchlists',
      headers: bearer(token),
      payload: { name: 'Tech' },
    });
    expect(res.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });

  it('stops accepting a token once revoked or expired, and a bad bearer never falls back to the cookie', async () => {
    const revoked = await mintToken(t, owner, 'read');
    const del = await t.app.http.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${revoked.id}`,
      headers: owner.headers,
    });
    expect(del.statusCode).toBe(204);
    const after = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(revoked.token),
    });
    expect(after.statusCode).toBe(401);
    const again = await t.app.http.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${revoked.id}`,
      headers: owner.headers,
    });
    expect(again.json()).toMatchObject({ code: 'AUTH_NOT_FOUND' });

    const short = await mintToken(t, owner, 'read', 1);
    now = new Date(now.getTime() + 86_400_000);
    const expired = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(short.token),
    });
    expect(expired.statusCode).toBe(401);
    const mixed = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { ...bearer('pulse_not-a-token'), cookie: owner.cookie },
    });
    expect(mixed.statusCode).toBe(401);
  });

  it('records token creation and revocation in the audit log', async () => {
    const { id } = await mintToken(t, owner, 'trade');
    await t.app.http.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: owner.headers });
    const rows = await database.handle.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['auth.owner_created', 'token.created', 'token.revoked']);
    expect(JSON.parse(rows[1]!.detail)).toMatchObject({ tokenId: id, scope: 'trade' });
  });
});
