import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadBrokerKeys } from '../../accounts/broker-keys.js';
import { SecretVault } from '../../accounts/user-secrets.js';
import { SqlUserSecretStore } from '../../adapters/db/sql-account-stores.js';
import { type Browser, setupOwner } from '../../testing/accounts.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { createTestApp, resetDatabase, type TestApp, testSecurity } from '../../testing/test-app.js';
import type { SecurityDeps } from '../../app.js';

const KEYS = {
  keyId: 'PKTEST7XQ2LMNOPQ9ABC',
  secretKey: 'sEcReT/abcdefghijklmnopqrstuvwxyz0123456',
  scope: 'live',
};

describe('brokerKeyRoutes', () => {
  let database: TestDatabase;
  let t: TestApp;
  let security: SecurityDeps;
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
    security = testSecurity(database);
    t = await createTestApp({ rateLimit: 'off', security }, { database });
    owner = await setupOwner(t);
  });

  it('saves the keys encrypted and only ever shows their last four characters', async () => {
    const put = await t.app.http.inject({
      method: 'PUT',
      url: '/api/v1/broker-keys',
      headers: owner.headers,
      payload: KEYS,
    });
    expect(put.json()).toEqual({ keyIdLast4: '9ABC', scope: 'live', updatedAt: expect.any(String) });
    const get = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/broker-keys',
      headers: owner.headers,
    });
    expect(get.json()).toMatchObject({ keyIdLast4: '9ABC', scope: 'live' });
    expect(get.body).not.toContain(KEYS.secretKey);
    const rows = await database.handle.db.selectFrom('user_secrets').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(KEYS.secretKey);
    expect(JSON.stringify(rows)).not.toContain(KEYS.keyId);
    const vault = new SecretVault(security.keyring, new SqlUserSecretStore(database.handle.db));
    expect(await loadBrokerKeys(owner.id, { vault })).toEqual(KEYS);
  });

  it('deletes the keys, then answers 404', async () => {
    await t.app.http.inject({
      method: 'PUT',
      url: '/api/v1/broker-keys',
      headers: owner.headers,
      payload: KEYS,
    });
    expect(
      (await t.app.http.inject({ method: 'DELETE', url: '/api/v1/broker-keys', headers: owner.headers }))
        .statusCode,
    ).toBe(204);
    const get = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/broker-keys',
      headers: owner.headers,
    });
    expect(get.json()).toMatchObject({ code: 'AUTH_NOT_FOUND' });
    const actions = await database.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'broker_keys.%')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['broker_keys.saved', 'broker_keys.deleted']);
  });
});
