import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, type Browser, GOOD_PASSWORD, setupOwner } from '../../testing/accounts.js';
import { ENGINES, type TestDatabase } from '../../testing/databases.js';
import { cookieFrom, createTestApp, resetDatabase, type TestApp } from '../../testing/test-app.js';
import { SoftAuthenticator } from '../../testing/webauthn-authenticator.js';

type Options = { challenge: string; rp: { id: string }; user: { id: string }; rpId?: string };

describe.each(ENGINES)('passkeyRoutes on %s', (_engine, fresh) => {
  let database: TestDatabase;
  let t: TestApp;
  let owner: Browser;
  let device: SoftAuthenticator;
  beforeAll(async () => {
    database = await fresh();
  });
  afterAll(async () => {
    await t?.close();
    await database.dispose();
  });

  async function reset(): Promise<void> {
    await t?.close();
    await resetDatabase(database);
    t = await createTestApp({ rateLimit: 'off' }, { database });
    owner = await setupOwner(t);
    device = new SoftAuthenticator('http://localhost');
  }

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, as?: Browser, payload?: object) =>
    t.app.http.inject({
      method,
      url,
      headers: { host: 'localhost', ...(as?.headers ?? {}) },
      ...(payload && { payload }),
    });

  async function addPasskey(as: Browser, authenticator = device, name = 'Laptop') {
    const start = await call('POST', '/api/v1/auth/passkeys/options', as);
    expect(start.statusCode).toBe(200);
    const { flowId, options } = start.json<{ flowId: string; options: Options }>();
    return call('POST', '/api/v1/auth/passkeys', as, {
      flowId,
      name,
      response: authenticator.create(options),
    });
  }

  it('adds a passkey with none attestation for localhost, lists it without its key, and turns two-factor on', async () => {
    await reset();
    const start = await call('POST', '/api/v1/auth/passkeys/options', owner);
    const { options } = start.json<{ options: Options & { attestation: string } }>();
    expect(options.rp.id).toBe('localhost');
    expect(options.attestation).toBe('none');
    const added = await addPasskey(owner);
    expect(added.statusCode).toBe(201);
    const body = added.json<{ passkey: { id: string; name: string }; recoveryCodes: string[] }>();
    expect(body.passkey.name).toBe('Laptop');
    expect(body.recoveryCodes).toHaveLength(10);
    const list = await call('GET', '/api/v1/auth/passkeys', owner);
    expect(list.json()).toEqual([
      expect.objectContaining({
        id: body.passkey.id,
        name: 'Laptop',
        deviceType: 'singleDevice',
        lastUsedAt: null,
      }),
    ]);
    expect(list.body).not.toContain('publicKey');
    const me = await call('GET', '/api/v1/auth/me', owner);
    expect(me.json<{ mfaEnabled: boolean }>().mfaEnabled).toBe(true);
    // A second passkey adds no new recovery codes.
    const second = await addPasskey(owner, new SoftAuthenticator('http://localhost'), 'Phone');
    expect(second.json<{ recoveryCodes: null }>().recoveryCodes).toBeNull();
  });

  it('answers the sign-in second step with the passkey, once', async () => {
    await reset();
    await addPasskey(owner);
    const login = await call('POST', '/api/v1/auth/login', undefined, {
      email: owner.email,
      password: GOOD_PASSWORD,
    });
    const { challengeId, methods } = login.json<{ challengeId: string; methods: string[] }>();
    expect(methods).toEqual(['passkey']);
    const start = await call('POST', '/api/v1/auth/mfa/passkey/options', undefined, { challengeId });
    const { options } = start.json<{ options: Options & { allowCredentials: { id: string }[] } }>();
    expect(options.allowCredentials).toHaveLength(1);
    const response = device.get(options);
    const done = await call('POST', '/api/v1/auth/mfa/passkey', undefined, { challengeId, response });
    expect(done.statusCode).toBe(200);
    expect(cookieFrom(done.headers['set-cookie'])).toMatch(/^pulse_session=/);
    expect(done.json<{ email: string }>().email).toBe(owner.email);
    // The same assertion, replayed, does not sign in again.
    const replay = await call('POST', '/api/v1/auth/mfa/passkey', undefined, { challengeId, response });
    expect(replay.statusCode).toBe(400);
    expect(replay.json<{ code: string }>().code).toBe('AUTH_PASSKEY_INVALID');
  });

  it('signs in without a password, and refuses another origin, an unverified user and a foreign passkey', async () => {
    await reset();
    await addPasskey(owner);
    const begin = async () =>
      (await call('POST', '/api/v1/auth/passkeys/sign-in/options')).json<{
        flowId: string;
        options: Options;
      }>();

    const phishing = await begin();
    const wrongOrigin = await call('POST', '/api/v1/auth/passkeys/sign-in', undefined, {
      flowId: phishing.flowId,
      response: device.get({ ...phishing.options, rpId: 'localhost' }, 'http://evil.localhost'),
    });
    expect(wrongOrigin.json<{ code: string }>().code).toBe('AUTH_PASSKEY_INVALID');

    const noUv = await begin();
    const unverified = await call('POST', '/api/v1/auth/passkeys/sign-in', undefined, {
      flowId: noUv.flowId,
      response: device.get(noUv.options, 'http://localhost', false),
    });
    expect(unverified.json<{ code: string }>().code).toBe('AUTH_PASSKEY_INVALID');

    const good = await begin();
    const signedIn = await call('POST', '/api/v1/auth/passkeys/sign-in', undefined, {
      flowId: good.flowId,
      response: device.get(good.options),
    });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json<{ id: string }>().id).toBe(owner.id);
    const [listed] = (await call('GET', '/api/v1/auth/passkeys', owner)).json<
      { lastUsedAt: string | null }[]
    >();
    expect(listed!.lastUsedAt).not.toBeNull();

    // A trader's passkey does not answer the owner's second step.
    const trader = await addUser(t, owner, 'trader@example.com', 'trader');
    const traderDevice = new SoftAuthenticator('http://localhost');
    expect((await addPasskey(trader, traderDevice)).statusCode).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', undefined, {
      email: owner.email,
      password: GOOD_PASSWORD,
    });
    const { challengeId } = login.json<{ challengeId: string }>();
    const start = await call('POST', '/api/v1/auth/mfa/passkey/options', undefined, { challengeId });
    const { options } = start.json<{ options: Options }>();
    const foreign = await call('POST', '/api/v1/auth/mfa/passkey', undefined, {
      challengeId,
      response: traderDevice.get({ challenge: options.challenge, rpId: 'localhost' }),
    });
    expect(foreign.json<{ code: string }>().code).toBe('AUTH_PASSKEY_INVALID');
  });

  it('refuses an IP address as the relying party, and validates the response shape', async () => {
    await reset();
    const ip = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/passkeys/sign-in/options',
      headers: { host: '127.0.0.1:3000' },
    });
    expect(ip.statusCode).toBe(409);
    expect(ip.json<{ code: string }>().code).toBe('AUTH_PASSKEY_UNAVAILABLE');
    const bad = await call('POST', '/api/v1/auth/passkeys/sign-in', undefined, {
      flowId: 'x'.repeat(20),
      response: { id: 'not base64url!', type: 'public-key' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('removes a passkey with the password; removing the last factor turns two-factor off', async () => {
    await reset();
    const { passkey } = (await addPasskey(owner)).json<{ passkey: { id: string } }>();
    const renamed = await call('PATCH', `/api/v1/auth/passkeys/${passkey.id}`, owner, {
      name: 'Work laptop',
    });
    expect(renamed.statusCode).toBe(204);
    const wrong = await call('DELETE', `/api/v1/auth/passkeys/${passkey.id}`, owner, { password: 'nope' });
    expect(wrong.json<{ code: string }>().code).toBe('AUTH_INVALID_CREDENTIALS');
    const removed = await call('DELETE', `/api/v1/auth/passkeys/${passkey.id}`, owner, {
      password: GOOD_PASSWORD,
    });
    expect(removed.statusCode).toBe(204);
    expect((await call('GET', '/api/v1/auth/passkeys', owner)).json()).toEqual([]);
    const login = await call('POST', '/api/v1/auth/login', undefined, {
      email: owner.email,
      password: GOOD_PASSWORD,
    });
    expect(login.json<{ mfaRequired?: boolean }>().mfaRequired).toBeUndefined();
    const audit = await call('GET', '/api/v1/admin/audit?limit=50', owner);
    expect(audit.body).toContain('mfa.passkey_added');
    expect(audit.body).toContain('mfa.passkey_removed');
  });
});
