import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, GOOD_PASSWORD, setupOwner, signInAs } from '../../testing/accounts.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { cookieFrom, createTestApp, resetDatabase, type TestApp } from '../../testing/test-app.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe('password change and sessions', () => {
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

  it('lists sessions with device, address and last seen, marks the current one, and revokes another', async () => {
    const laptop = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: GOOD_PASSWORD },
      headers: { 'user-agent': FIREFOX },
      remoteAddress: '198.51.100.20',
    });
    const laptopCookie = cookieFrom(laptop.headers['set-cookie']);
    const list = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      headers: owner.headers,
    });
    const sessions =
      list.json<{ id: string; device: string; ip: string; current: boolean; lastSeenAt: string }[]>();
    expect(sessions).toHaveLength(2);
    const other = sessions.find((s) => !s.current)!;
    expect(other).toMatchObject({
      device: 'Firefox on Linux',
      ip: '198.51.100.20',
      lastSeenAt: expect.any(String),
    });
    expect(list.body).not.toMatch(/token_?hash|csrf/i);
    const revoke = await t.app.http.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.id}`,
      headers: owner.headers,
    });
    expect(revoke.statusCode).toBe(204);
    const gone = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: laptopCookie },
    });
    expect(gone.statusCode).toBe(401);
  });

  it('changes the password only with the current one, refuses a weak one, and signs out the other sessions', async () => {
    const phone = await signInAs(t, 'owner@example.com');
    const change = (body: object) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: owner.headers,
        payload: body,
      });
    expect(
      (await change({ currentPassword: 'not it', newPassword: 'another fine passphrase 7' })).json(),
    ).toMatchObject({
      code: 'AUTH_INVALID_CREDENTIALS',
    });
    expect(
      (await change({ currentPassword: GOOD_PASSWORD, newPassword: 'qwertyuiop123' })).json(),
    ).toMatchObject({
      code: 'AUTH_WEAK_PASSWORD',
    });
    const ok = await change({ currentPassword: GOOD_PASSWORD, newPassword: 'another fine passphrase 7' });
    expect(ok.json()).toEqual({ endedSessions: 1 });
    expect(
      (await t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: phone.cookie } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: owner.headers })).statusCode,
    ).toBe(200);
    await expect(signInAs(t, 'owner@example.com')).rejects.toThrow(/401/);
    await signInAs(t, 'owner@example.com', 'another fine passphrase 7');
  });

  it('sets a 30-day cookie when remembered and a browser-session cookie when not', async () => {
    const remembered = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: GOOD_PASSWORD },
    });
    expect(String(remembered.headers['set-cookie'])).toContain(`Max-Age=${30 * 24 * 3600}`);
    const forgotten = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: GOOD_PASSWORD, remember: false },
    });
    expect(String(forgotten.headers['set-cookie'])).not.toMatch(/Max-Age|Expires/);
  });
});
