import { generate } from 'otplib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqlEmailTokenStore } from '../../adapters/db/sql-identity-stores.js';
import type { AppDeps } from '../../app.js';
import { addUser, type Browser, setupOwner } from '../../testing/accounts.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { startTestIdp, type TestIdp } from '../../../e2e/support/oidc-idp.js';
import {
  cookieFrom,
  createTestApp,
  resetDatabase,
  type TestApp,
  testSecurity,
} from '../../testing/test-app.js';
import { OIDC_COOKIE } from './oidc.routes.js';

const PUBLIC_URL = 'http://localhost:4100';
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/oidc/idp/callback`;

describe('OIDC sign-in against a real provider (oidc-provider)', () => {
  let database: TestDatabase;
  let idp: TestIdp;
  let t: TestApp;

  beforeAll(async () => {
    database = await freshPglite();
    idp = await startTestIdp([CALLBACK]);
    idp.account('alice', { email: 'alice@example.com', emailVerified: true });
    idp.account('bob', { email: 'bob@elsewhere.example', emailVerified: true });
    idp.account('mallory', { email: 'owner@example.com', emailVerified: true });
    idp.account('unverified', { email: 'owner@example.com', emailVerified: false });
  });
  afterAll(async () => {
    await t?.close();
    await idp.close();
    await database.dispose();
  });

  async function start(overrides: { signup?: 'open' | 'closed'; linkVerifiedEmail?: boolean } = {}) {
    await t?.close();
    await resetDatabase(database);
    const deps: Partial<AppDeps> = {
      rateLimit: 'off',
      security: {
        ...testSecurity(database),
        signup: overrides.signup ?? 'open',
        publicUrl: PUBLIC_URL,
        oidcLinkVerifiedEmail: overrides.linkVerifiedEmail ?? false,
        oidcProviders: [
          {
            id: 'idp',
            name: 'Test IdP',
            issuer: idp.issuer,
            clientId: idp.clientId,
            clientSecret: idp.clientSecret,
            scopes: 'openid email',
          },
        ],
      },
    };
    t = await createTestApp(deps, { database });
  }
  beforeEach(() => start());

  const get = (url: string, cookie = '') =>
    t.app.http.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  /** Starts at Pulse, signs in at the provider as `login`, returns Pulse's callback response. */
  async function signInWith(
    login: string,
    tamper: { authUrl?: (u: URL) => void; callback?: (u: URL) => void } = {},
  ) {
    const started = await get('/api/v1/auth/oidc/idp/start');
    expect(started.statusCode).toBe(302);
    const flowCookie = cookieFrom(started.headers['set-cookie']);
    expect(flowCookie.startsWith(`${OIDC_COOKIE}=`)).toBe(true);
    return finish(started.headers.location!, flowCookie, login, tamper);
  }

  async function finish(
    authorizationUrl: string,
    flowCookie: string,
    login: string,
    tamper: { authUrl?: (u: URL) => void; callback?: (u: URL) => void } = {},
  ) {
    const auth = new URL(authorizationUrl);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toBe(CALLBACK);
    tamper.authUrl?.(auth);
    const back = await idp.authorize(auth.toString(), login);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    tamper.callback?.(back);
    return get(`${back.pathname}${back.search}`, flowCookie);
  }

  function sessionOf(res: { headers: Record<string, unknown> }): string | undefined {
    const all = [res.headers['set-cookie']].flat().map(String);
    const session = all.find((c) => c.startsWith('pulse_session='));
    return session ? cookieFrom(session) : undefined;
  }

  async function meOf(cookie: string) {
    const res = await get('/api/v1/auth/me', cookie);
    expect(res.statusCode).toBe(200);
    return res.json() as { id: string; email: string; csrfToken: string; emailVerified: boolean };
  }

  it('lists the configured providers for the sign-in page', async () => {
    const res = await get('/api/v1/auth/providers');
    expect(res.json()).toEqual({ providers: [{ id: 'idp', name: 'Test IdP' }] });
    expect((await get('/api/v1/auth/oidc/nope/start')).json().code).toBe('AUTH_OIDC_DISABLED');
  });

  it('creates an account on first sign-in (open sign-up) and signs the same account in next time', async () => {
    await setupOwner(t);
    const first = await signInWith('alice');
    expect(first.statusCode, first.body).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = sessionOf(first);
    expect(cookie).toBeDefined();
    const me = await meOf(cookie!);
    expect(me.email).toBe('alice@example.com');
    expect(me.emailVerified).toBe(true);

    const second = await signInWith('alice');
    expect((await meOf(sessionOf(second)!)).id).toBe(me.id);
    const users = await database.handle.db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email).sort()).toEqual(['alice@example.com', 'owner@example.com']);

    // No password: password sign-in is refused like any wrong password (after the decoy's time).
    const byPassword = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'alice@example.com', password: 'anything at all 1' },
    });
    expect(byPassword.statusCode).toBe(401);
    expect(byPassword.json().code).toBe('AUTH_INVALID_CREDENTIALS');

    const list = await get('/api/v1/auth/identities', cookie);
    expect(list.json()).toMatchObject({
      hasPassword: false,
      identities: [{ provider: 'idp', providerName: 'Test IdP', email: 'alice@example.com' }],
    });
    // Alice has no password: unlinking her only identity would lock her out.
    const id = (list.json() as { identities: { id: string }[] }).identities[0]!.id;
    const unlink = await t.app.http.inject({
      method: 'DELETE',
      url: `/api/v1/auth/identities/${id}`,
      headers: { cookie: cookie!, 'x-csrf-token': me.csrfToken },
    });
    expect(unlink.statusCode).toBe(409);
    expect(unlink.json().code).toBe('AUTH_IDENTITY_LAST_METHOD');
  });

  it('never links to an existing account by e-mail on its own, and creates none when sign-up is closed', async () => {
    await setupOwner(t);
    const res = await signInWith('mallory');
    expect(res.headers.location).toBe('/#sso_error=AUTH_OIDC_NOT_LINKED');
    expect(sessionOf(res)).toBeUndefined();

    await start({ signup: 'closed' });
    await setupOwner(t);
    const closed = await signInWith('alice');
    expect(closed.headers.location).toBe('/#sso_error=AUTH_SIGNUP_CLOSED');
    expect(sessionOf(closed)).toBeUndefined();
  });

  it('links by e-mail only with OIDC_LINK_VERIFIED_EMAIL, a provider-verified address and a verified account', async () => {
    await start({ linkVerifiedEmail: true });
    const owner = await setupOwner(t);
    // The owner's own address is not verified yet: no linking.
    expect((await signInWith('mallory')).headers.location).toBe('/#sso_error=AUTH_OIDC_NOT_LINKED');
    await new SqlEmailTokenStore(database.handle.db).markVerified(owner.id, 'owner@example.com', new Date());
    // The provider does not vouch for the address: no linking.
    expect((await signInWith('unverified')).headers.location).toBe('/#sso_error=AUTH_OIDC_NOT_LINKED');
    const linked = await signInWith('mallory');
    expect(linked.headers.location).toBe('/');
    expect((await meOf(sessionOf(linked)!)).id).toBe(owner.id);
  });

  it('links an identity from the profile, signs in with it, and unlinks it (the password remains)', async () => {
    const owner = await setupOwner(t);
    const link = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/identities/idp/link',
      headers: owner.headers,
    });
    expect(link.statusCode).toBe(200);
    const flowCookie = cookieFrom(link.headers['set-cookie']);
    const done = await finish(link.json().url, flowCookie, 'bob');
    expect(done.headers.location).toBe('/settings#linked=idp');

    const viaBob = await signInWith('bob');
    expect((await meOf(sessionOf(viaBob)!)).id).toBe(owner.id);

    const list = await get('/api/v1/auth/identities', owner.cookie);
    const identity = (list.json() as { identities: { id: string; email: string }[] }).identities;
    expect(identity).toHaveLength(1);
    expect(identity[0]!.email).toBe('bob@elsewhere.example');

    // Another user cannot see or remove it.
    const other: Browser = await addUser(t, owner, 'trader@example.com', 'trader');
    expect((await get('/api/v1/auth/identities', other.cookie)).json().identities).toEqual([]);
    const foreign = await t.app.http.inject({
      method: 'DELETE',
      url: `/api/v1/auth/identities/${identity[0]!.id}`,
      headers: other.headers,
    });
    expect(foreign.statusCode).toBe(404);
    // The same provider account cannot be linked to a second user.
    const steal = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/identities/idp/link',
      headers: other.headers,
    });
    const stolen = await finish(steal.json().url, cookieFrom(steal.headers['set-cookie']), 'bob');
    expect(stolen.headers.location).toBe('/#sso_error=AUTH_IDENTITY_TAKEN');

    const unlink = await t.app.http.inject({
      method: 'DELETE',
      url: `/api/v1/auth/identities/${identity[0]!.id}`,
      headers: owner.headers,
    });
    expect(unlink.statusCode).toBe(204);
    // Unlinked, Bob's provider account no longer opens the owner's account (sign-up is open: a new one).
    const after = await signInWith('bob');
    expect((await meOf(sessionOf(after)!)).id).not.toBe(owner.id);
  });

  it('still asks for the second factor when the linked user has MFA on', async () => {
    const owner = await setupOwner(t);
    const link = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/identities/idp/link',
      headers: owner.headers,
    });
    await finish(link.json().url, cookieFrom(link.headers['set-cookie']), 'bob');
    const enrol = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp',
      headers: owner.headers,
    });
    const confirm = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      headers: owner.headers,
      payload: { code: await generate({ secret: enrol.json().secret }) },
    });
    const recoveryCode = (confirm.json() as { recoveryCodes: string[] }).recoveryCodes[0]!;

    const res = await signInWith('bob');
    expect(sessionOf(res)).toBeUndefined();
    const challengeId = /^\/#mfa=(.+)$/.exec(res.headers.location ?? '')?.[1];
    expect(challengeId).toBeDefined();
    const verified = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      payload: { challengeId: decodeURIComponent(challengeId!), code: recoveryCode },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().id).toBe(owner.id);
  });

  it('refuses a tampered state, a tampered nonce, a replayed callback and a callback from another browser', async () => {
    const state = await signInWith('alice', {
      callback: (u) => u.searchParams.set('state', `${u.searchParams.get('state')}x`),
    });
    expect(state.headers.location).toBe('/#sso_error=AUTH_OIDC_FAILED');
    expect(sessionOf(state)).toBeUndefined();

    // The provider signs a nonce Pulse did not send: the ID token is refused.
    const nonce = await signInWith('alice', { authUrl: (u) => u.searchParams.set('nonce', 'forged-nonce') });
    expect(nonce.headers.location).toBe('/#sso_error=AUTH_OIDC_FAILED');
    expect(sessionOf(nonce)).toBeUndefined();

    const started = await get('/api/v1/auth/oidc/idp/start');
    const back = await idp.authorize(started.headers.location!, 'alice');
    const elsewhere = await get(`${back.pathname}${back.search}`);
    expect(elsewhere.headers.location).toBe('/#sso_error=AUTH_OIDC_FAILED');
    const flowCookie = cookieFrom(started.headers['set-cookie']);
    // The flow is used up by the first callback only when it carries the cookie; this one does.
    const ok = await get(`${back.pathname}${back.search}`, flowCookie);
    expect(ok.headers.location).toBe('/');
    const replay = await get(`${back.pathname}${back.search}`, flowCookie);
    expect(replay.headers.location).toBe('/#sso_error=AUTH_OIDC_FAILED');
    expect(sessionOf(replay)).toBeUndefined();
    const failures = await database.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.oidc_failed')
      .execute();
    expect(failures.length).toBe(2);
  });
});
