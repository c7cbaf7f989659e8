import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addUser, type Browser, GOOD_PASSWORD, setupOwner } from '../../testing/accounts.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { createTestApp, resetDatabase, type TestApp, testSecurity } from '../../testing/test-app.js';

describe('userRoutes', () => {
  let database: TestDatabase;
  let t: TestApp;
  let owner: Browser;
  beforeAll(async () => {
    database = await freshPglite();
  });
  afterAll(async () => {
    await t?.close();
    await database.dispose();
  });
  beforeEach(async () => {
    await t?.close();
    await resetDatabase(database);
    t = await createTestApp({ rateLimit: 'off' }, { database });
    owner = await setupOwner(t);
  });

  const call = (as: Browser, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
    t.app.http.inject({ method, url, headers: as.headers, ...(payload && { payload }) });

  it('lets the owner create users of each role and list them without password hashes', async () => {
    const admin = await addUser(t, owner, 'admin@example.com', 'admin');
    await addUser(t, admin, 'trader@example.com', 'trader');
    const list = await call(owner, 'GET', '/api/v1/users');
    expect(list.json<{ email: string; role: string }[]>().map((u) => [u.email, u.role])).toEqual([
      ['owner@example.com', 'owner'],
      ['admin@example.com', 'admin'],
      ['trader@example.com', 'trader'],
    ]);
    expect(list.body).not.toContain('argon2');
  });

  it('refuses an admin minting an owner, a trader listing users, and a duplicate e-mail', async () => {
    const admin = await addUser(t, owner, 'admin@example.com', 'admin');
    const trader = await addUser(t, owner, 'trader@example.com', 'trader');
    const mint = await call(admin, 'POST', '/api/v1/users', {
      email: 'o2@example.com',
      password: GOOD_PASSWORD,
      role: 'owner',
    });
    expect(mint.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect((await call(trader, 'GET', '/api/v1/users')).json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    const dup = await call(owner, 'POST', '/api/v1/users', {
      email: 'TRADER@example.com',
      password: GOOD_PASSWORD,
      role: 'viewer',
    });
    expect(dup.json()).toMatchObject({ code: 'AUTH_EMAIL_TAKEN' });
  });

  it('refuses a common or e-mail-based password for a new user', async () => {
    const common = await call(owner, 'POST', '/api/v1/users', {
      email: 'a@example.com',
      password: 'Password1234!',
      role: 'viewer',
    });
    expect(common.json()).toMatchObject({ code: 'AUTH_WEAK_PASSWORD' });
    const mine = await call(owner, 'POST', '/api/v1/users', {
      email: 'jane.doe@example.com',
      password: 'janedoe-rules-2026',
      role: 'viewer',
    });
    expect(mine.json()).toMatchObject({
      code: 'AUTH_WEAK_PASSWORD',
      message: expect.stringContaining('e-mail'),
    });
  });

  it('lets only an owner change roles, and never demotes the last owner', async () => {
    const admin = await addUser(t, owner, 'admin@example.com', 'admin');
    const trader = await addUser(t, owner, 'trader@example.com', 'trader');
    const byAdmin = await call(admin, 'PATCH', `/api/v1/users/${trader.id}`, { role: 'admin' });
    expect(byAdmin.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    const promote = await call(owner, 'PATCH', `/api/v1/users/${trader.id}`, { role: 'viewer' });
    expect(promote.json()).toMatchObject({ role: 'viewer' });
    const lastOwner = await call(owner, 'PATCH', `/api/v1/users/${owner.id}`, { role: 'admin' });
    expect(lastOwner.statusCode).toBe(409);
    expect(lastOwner.json()).toMatchObject({ code: 'AUTH_LAST_OWNER' });
    await call(owner, 'PATCH', `/api/v1/users/${admin.id}`, { role: 'owner' });
    const nowFine = await call(owner, 'PATCH', `/api/v1/users/${owner.id}`, { role: 'admin' });
    expect(nowFine.json()).toMatchObject({ role: 'admin' });
    const audit = await database.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'user.role_changed')
      .execute();
    expect(audit).toHaveLength(3);
  });

  it('keeps a viewer read-only: reads work, writes are 403', async () => {
    const viewer = await addUser(t, owner, 'viewer@example.com', 'viewer');
    expect((await call(viewer, 'GET', '/api/v1/watchlists')).statusCode).toBe(200);
    const write = await call(viewer, 'POST', '/api/v1/watchlists', { name: 'Tech' });
    expect(write.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });

  it('requires a signed-in caller on every non-public API route', async () => {
    const failures = t.app.routes
      .filter((r) => r.url.startsWith('/api/v1/') && r.access !== 'public' && !r.websocket)
      .map((r) => ({ r, url: r.url.replace(/(?<!:):[A-Za-z_]\w*/g, 'x').replaceAll('::', ':') }));
    for (const { r, url } of failures) {
      const res = await t.app.http.inject({ method: r.method as 'GET', url });
      expect([r.method, r.url, res.statusCode]).toEqual([r.method, r.url, 401]);
    }
  });

  describe('sign-up', () => {
    it('is closed by default', async () => {
      const res = await t.app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email: 'new@example.com', password: GOOD_PASSWORD },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'AUTH_SIGNUP_CLOSED' });
    });

    it('makes a signed-in trader when SIGNUP=open', async () => {
      await t.close();
      t = await createTestApp(
        { rateLimit: 'off', security: { ...testSecurity(database), signup: 'open' } },
        { database },
      );
      const res = await t.app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email: 'new@example.com', password: GOOD_PASSWORD },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ email: 'new@example.com', role: 'trader' });
    });
  });
});
