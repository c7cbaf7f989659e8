import { generate } from 'otplib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addUser, type Browser, GOOD_PASSWORD, setupOwner } from '../../testing/accounts.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { cookieFrom, createTestApp, resetDatabase, type TestApp } from '../../testing/test-app.js';

describe('mfaRoutes', () => {
  let database: TestDatabase;
  let t: TestApp;
  let owner: Browser;
  let now: Date;
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
    now = new Date('2026-03-02T12:00:00Z');
    t = await createTestApp({ rateLimit: 'off', now: () => now }, { database });
    owner = await setupOwner(t);
  });

  const code = (secret: string, at = now) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

  async function enrol(as: Browser): Promise<{ secret: string; recoveryCodes: string[] }> {
    const start = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp',
      headers: as.headers,
    });
    const { secret, otpauthUri, qrDataUrl } = start.json<{
      secret: string;
      otpauthUri: string;
      qrDataUrl: string;
    }>();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Pulse:.+\?secret=/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const wrong = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      headers: as.headers,
      payload: { code: '000000' },
    });
    expect(wrong.json()).toMatchObject({ code: 'AUTH_MFA_INVALID' });
    const confirm = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      headers: as.headers,
      payload: { code: await code(secret) },
    });
    return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
  }

  const login = () =>
    t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: GOOD_PASSWORD },
    });
  const verify = (challengeId: string, c: string) =>
    t.app.http.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { challengeId, code: c } });

  it('enrols TOTP with the secret encrypted at rest, then signs in in two steps', async () => {
    const { secret, recoveryCodes } = await enrol(owner);
    expect(recoveryCodes).toHaveLength(10);
    const stored = await database.handle.db.selectFrom('user_secrets').selectAll().execute();
    expect(stored.map((r) => r.kind)).toEqual(['totp']);
    expect(stored[0]!.envelope).not.toContain(secret);
    const first = await login();
    expect(first.headers['set-cookie']).toBeUndefined();
    const { challengeId } = first.json<{ mfaRequired: true; challengeId: string }>();
    expect(first.json()).toMatchObject({ mfaRequired: true });
    now = new Date(now.getTime() + 30_000);
    const second = await verify(challengeId, await code(secret));
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ email: 'owner@example.com', mfaEnabled: true });
    expect(cookieFrom(second.headers['set-cookie'])).toMatch(/^pulse_session=/);
    expect((await verify(challengeId, await code(secret))).statusCode).toBe(401);
  });

  it('refuses a replayed code and a wrong code, and lets a recovery code in exactly once', async () => {
    const { secret, recoveryCodes } = await enrol(owner);
    const used = await code(secret);
    const replay = await verify((await login()).json<{ challengeId: string }>().challengeId, used);
    expect(replay.json()).toMatchObject({ code: 'AUTH_MFA_INVALID' });
    const challenge = (await login()).json<{ challengeId: string }>().challengeId;
    expect((await verify(challenge, recoveryCodes[0]!.toUpperCase())).statusCode).toBe(200);
    const again = (await login()).json<{ challengeId: string }>().challengeId;
    expect((await verify(again, recoveryCodes[0]!)).statusCode).toBe(401);
  });

  it('gives a challenge five tries at most', async () => {
    const { secret } = await enrol(owner);
    const challenge = (await login()).json<{ challengeId: string }>().challengeId;
    for (let i = 0; i < 5; i++) await verify(challenge, '123456');
    now = new Date(now.getTime() + 30_000);
    expect((await verify(challenge, await code(secret))).statusCode).toBe(401);
  });

  it('turns MFA off with the password, after which a password is enough again', async () => {
    await enrol(owner);
    const off = await t.app.http.inject({
      method: 'DELETE',
      url: '/api/v1/auth/mfa',
      headers: owner.headers,
      payload: { password: GOOD_PASSWORD },
    });
    expect(off.statusCode).toBe(204);
    expect((await login()).json()).toMatchObject({ email: 'owner@example.com', mfaEnabled: false });
    const actions = await database.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'mfa.%')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['mfa.enabled', 'mfa.disabled']);
  });

  it('holds users without MFA to enrolment when an admin requires it for everyone', async () => {
    const trader = await addUser(t, owner, 'trader@example.com', 'trader');
    const set = await t.app.http.inject({
      method: 'PUT',
      url: '/api/v1/admin/security',
      headers: owner.headers,
      payload: { mfaRequired: true },
    });
    expect(set.json()).toEqual({ mfaRequired: true });
    const blocked = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/watchlists',
      headers: trader.headers,
    });
    expect(blocked.json()).toMatchObject({ code: 'AUTH_MFA_ENROLMENT_REQUIRED' });
    expect(
      (await t.app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: trader.headers }))
        .statusCode,
    ).toBe(200);
    await enrol(trader);
    expect(
      (await t.app.http.inject({ method: 'GET', url: '/api/v1/watchlists', headers: trader.headers }))
        .statusCode,
    ).toBe(200);
    const again = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'trader@example.com', password: GOOD_PASSWORD },
    });
    expect(again.json()).toMatchObject({ mfaRequired: true });
  });
});
