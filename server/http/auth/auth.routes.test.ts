import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { cookieFrom, createTestApp, resetDatabase, type TestApp } from '../../testing/test-app.js';

const OWNER = { email: 'Owner@Example.com', password: 'correct horse battery staple' };

describe('authRoutes', () => {
  let t: TestApp;
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshPglite();
  });
  afterAll(async () => {
    await database.dispose();
  });
  beforeEach(async () => {
    await resetDatabase(database);
    t = await createTestApp({}, { database });
  });
  afterEach(async () => {
    await t.close();
  });

  async function createOwner() {
    const res = await t.app.http.inject({ method: 'POST', url: '/api/v1/setup/owner', payload: OWNER });
    return {
      res,
      cookie: cookieFrom(res.headers['set-cookie']),
      me: res.json<{ csrfToken: string; email: string; role: string }>(),
    };
  }

  it('reports that the owner is needed on a fresh install', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/v1/setup' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ needsOwner: true, signupOpen: false });
  });

  it('creates the owner, starts an HttpOnly SameSite=Lax session and closes setup', async () => {
    const { res, me } = await createOwner();
    expect(res.statusCode).toBe(201);
    expect(me).toMatchObject({ email: 'owner@example.com', role: 'owner' });
    expect(me.csrfToken).toMatch(/^[\w-]{20,}$/);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^pulse_session=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).not.toContain('Secure');
    const status = await t.app.http.inject({ method: 'GET', url: '/api/v1/setup' });
    expect(status.json()).toEqual({ needsOwner: false, signupOpen: false });
    const again = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/setup/owner',
      payload: { ...OWNER, email: 'x@example.com' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AUTH_SETUP_COMPLETE' });
  });

  it('marks the cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    await t.close();
    t = await createTestApp({ trustProxy: true }, { database });
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/setup/owner',
      payload: OWNER,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(res.headers['set-cookie'])).toContain('Secure');
  });

  it('refuses a weak password with the field named', async () => {
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/setup/owner',
      payload: { email: 'a@b.co', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'REQUEST_VALIDATION_FAILED',
      message: expect.stringContaining('body.password'),
    });
  });

  it('returns the signed-in user from /me and 401 without a session', async () => {
    const { cookie } = await createOwner();
    const me = await t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: 'owner@example.com', role: 'owner' });
    const anonymous = await t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('signs in with the right password and gives the same error for a wrong password or unknown e-mail', async () => {
    await createOwner();
    const ok = await t.app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: OWNER });
    expect(ok.statusCode).toBe(200);
    expect(cookieFrom(ok.headers['set-cookie'])).toMatch(/^pulse_session=/);
    const wrong = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { ...OWNER, password: 'nope nope nope' },
    });
    const unknown = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { ...OWNER, email: 'ghost@example.com' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(wrong.json().code).toBe('AUTH_INVALID_CREDENTIALS');
    const audit = await t.database.handle.db.selectFrom('audit_log').select('action').orderBy('id').execute();
    expect(audit.map((r) => r.action)).toEqual([
      'auth.owner_created',
      'auth.signed_in',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
    ]);
  });

  it('refuses a cookie-authenticated change without the CSRF token, and signs out with it', async () => {
    const { cookie, me } = await createOwner();
    const forged = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'AUTH_CSRF_FAILED' });
    const out = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': me.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('expires a session after the idle timeout', async () => {
    await t.close();
    let now = new Date('2026-01-01T00:00:00Z');
    t = await createTestApp({ now: () => now }, { database });
    const { cookie } = await createOwner();
    now = new Date('2026-01-02T00:00:01Z');
    const res = await t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(res.statusCode).toBe(401);
  });
});
