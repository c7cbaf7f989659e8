import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveBrokerKeys } from '../../accounts/broker-keys.js';
import { type AlpacaTestApp, alpacaTestApp } from './testing/alpaca-fixture.js';
import { eventually, type TestUser } from './testing/trading-fixture.js';

const KEY = 'PKALICE00001';
const REFUSED =
  'Alpaca refused the saved keys (revoked or regenerated?): save your current keys in Settings → Broker keys.';

describe('Alpaca keys revoked while connected (against pulse sim --key/--secret)', () => {
  let t: AlpacaTestApp;
  let alice: TestUser;

  beforeAll(async () => {
    t = await alpacaTestApp({ credentials: { key: KEY, secret: 'first-secret' } });
    alice = await t.user('trader');
    await t.advance(2_000);
    await t.call(alice, 'PUT', '/api/v1/broker-keys', {
      keyId: KEY,
      secretKey: 'first-secret',
      scope: 'paper',
    });
    await t.call(alice, 'PUT', '/api/v1/trading-account', { broker: 'alpaca' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('drops the connection when the stream is refused, answers 502 naming the keys, and does not retry in a loop', async () => {
    expect((await t.call(alice, 'GET', '/api/v1/account')).statusCode).toBe(200);
    expect(t.connections).toHaveLength(1);
    const stream = t.connections[0]?.broker.streamStats;

    // The secret is regenerated at Alpaca: the sim now accepts only the new one.
    await t.restartSim({ key: KEY, secret: 'second-secret' });
    await eventually(async () =>
      t.logs.find((l) => l.message === 'broker stream refused the saved keys') ? true : undefined,
    );
    const attempts = stream?.connects ?? 0;
    // The first connect, then a reconnect or two while the sim restarted: refused, it stops.
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 500));
    expect(stream?.connects).toBe(attempts);

    // The next request rebuilds nothing with the refused keys: 502 with what to do.
    for (const url of ['/api/v1/account', '/api/v1/orders']) {
      const res = await t.call(alice, 'GET', url);
      expect([res.statusCode, res.json().code, res.json().message]).toEqual([
        502,
        'TRADING_BROKER_UNAVAILABLE',
        REFUSED,
      ]);
    }
    expect(t.connections).toHaveLength(1);
  });

  it('uses new keys at once, even when another node saved them', async () => {
    // Saved straight into the vault, as another Pulse node would: this node is not told.
    await saveBrokerKeys(
      { userId: alice.id, keyId: KEY, secretKey: 'second-secret', scope: 'paper', ip: null, now: new Date() },
      { vault: t.vault, audit: t.audit },
    );
    const account = await t.call(alice, 'GET', '/api/v1/account');
    expect(account.statusCode).toBe(200);
    expect(account.json()).toMatchObject({ broker: 'alpaca', account_number: 'ALPACA-PAPER-0001' });
    expect(t.connections.map((c) => c.keys.secretKey)).toEqual(['first-secret', 'second-secret']);
    const placed = await t.call(alice, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'gtc',
      qty: '1',
      limit_price: '1.5',
    });
    expect(placed.statusCode).toBe(200);
    expect((await t.sim.accounts.forKey(KEY).broker.getOrder(placed.json().id))?.status).toBe('new');
  });

  it('drops the connection on a REST 401/403 too, and keeps refusing keys that are still bad', async () => {
    const before = t.connections.length;
    await t.restartSim({ key: KEY, secret: 'third-secret' });
    // Whichever notices first, the REST call or the stream, the answer is the same.
    const res = await t.call(alice, 'GET', '/api/v1/positions');
    expect([res.statusCode, res.json().code, res.json().message]).toEqual([
      502,
      'TRADING_BROKER_UNAVAILABLE',
      REFUSED,
    ]);
    // Keys saved through the API on this node are tried at once: still wrong, still a clear 502.
    await t.call(alice, 'PUT', '/api/v1/broker-keys', {
      keyId: KEY,
      secretKey: 'wrong-secret',
      scope: 'paper',
    });
    const wrong = await t.call(alice, 'GET', '/api/v1/account');
    expect([wrong.statusCode, wrong.json().message]).toEqual([502, REFUSED]);
    expect(t.connections.length).toBe(before + 1);
    await t.call(alice, 'PUT', '/api/v1/broker-keys', {
      keyId: KEY,
      secretKey: 'third-secret',
      scope: 'paper',
    });
    expect((await t.call(alice, 'GET', '/api/v1/account')).statusCode).toBe(200);
    expect(t.connections.length).toBe(before + 2);
  });
});
