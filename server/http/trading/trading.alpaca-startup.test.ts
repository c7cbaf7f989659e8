import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tradeOf } from '../../../core/testing/trading-fixtures.js';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { type AlpacaTestApp, type SimHandle, alpacaTestApp, startSim } from './testing/alpaca-fixture.js';
import { eventually, type TestUser } from './testing/trading-fixture.js';

const ALICE = { key: 'PKALICE00001', secret: 'alice-secret' };

describe('Alpaca connections across a Pulse restart (against pulse sim)', () => {
  let database: TestDatabase;
  let sim: SimHandle;
  let first: AlpacaTestApp;
  let second: AlpacaTestApp | undefined;
  let alice: TestUser;
  let bob: TestUser;
  let resting: { id: string };

  beforeAll(async () => {
    database = await freshPglite();
    // The sim accepts Alice's keys only: Bob's are refused.
    sim = await startSim({ credentials: ALICE });
    first = await alpacaTestApp({ database, sim });
    alice = await first.user('trader');
    bob = await first.user('trader');
    await first.advance(2_000);
    for (const [who, keyId, secretKey] of [
      [alice, ALICE.key, ALICE.secret],
      [bob, 'PKBOB0000002', 'bob-secret'],
    ] as const) {
      await first.call(who, 'PUT', '/api/v1/broker-keys', { keyId, secretKey, scope: 'paper' });
      expect((await first.call(who, 'PUT', '/api/v1/trading-account', { broker: 'alpaca' })).statusCode).toBe(
        200,
      );
    }
    resting = (
      await first.call(alice, 'POST', '/api/v1/orders', {
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        time_in_force: 'gtc',
        qty: '2',
        limit_price: '1.5',
      })
    ).json();
    await first.close();
  });
  afterAll(async () => {
    await second?.close();
    await sim.sim.close();
    await database.dispose();
  });

  it("opens each chosen Alpaca connection at start, so a fill reaches the owner's socket before any request", async () => {
    second = await alpacaTestApp({ database, sim, keyring: first.keyring });
    const t = second;
    // Start-up does not wait for the brokers: trading is up while they connect.
    expect(t.trading.isStarted).toBe(true);
    await t.trading.brokersConnected();
    expect(t.connections.map((c) => c.keys.keyId).sort()).toEqual([ALICE.key, 'PKBOB0000002']);
    // Bob's refused keys are logged, not retried in the background.
    expect(t.logs.map((l) => l.message)).toContain(
      'broker connection at start failed; retried on the next request',
    );
    const bobsStream = t.connections.find((c) => c.keys.keyId === 'PKBOB0000002')?.broker.streamStats;
    await new Promise((r) => setTimeout(r, 400));
    expect(bobsStream?.connects).toBe(1);

    // Alice's socket is her only contact with the new process: no trading request.
    const socket = new WebSocket(`${t.origin.replace('http', 'ws')}/api/v1/stream`, {
      headers: { cookie: alice.cookie },
    });
    const messages: Record<string, unknown>[] = [];
    socket.on('message', (data) => messages.push(...(JSON.parse(String(data)) as Record<string, unknown>[])));
    await new Promise((r) => socket.once('open', r));
    await sim.sim.accounts.injectTrade(tradeOf('AAPL', sim.clock.now(), 1.4, 100));
    expect((await sim.sim.accounts.forKey(ALICE.key).broker.getOrder(resting.id))?.status).toBe('filled');
    const fill = await eventually(async () =>
      messages.find(
        (m) => m.T === 'trade_update' && m.event === 'fill' && (m.order as { id: string }).id === resting.id,
      ),
    );
    expect(fill).toMatchObject({ qty: '2', price: '1.5', position_qty: '2' });
    expect(t.connections.filter((c) => c.keys.keyId === ALICE.key)).toHaveLength(1);
    socket.close();

    // The connection made at start serves her first request.
    expect((await t.call(alice, 'GET', '/api/v1/positions/AAPL')).json().qty).toBe('2');
    expect(t.connections.filter((c) => c.keys.keyId === ALICE.key)).toHaveLength(1);
  });

  it('answers a user whose connection failed at start with 502 naming the keys, and tries new keys at once', async () => {
    const t = second as AlpacaTestApp;
    const res = await t.call(bob, 'GET', '/api/v1/account');
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      code: 'TRADING_BROKER_UNAVAILABLE',
      message:
        'Alpaca refused the saved keys (revoked or regenerated?): save your current keys in Settings → Broker keys.',
    });
    // The same refused keys are not tried again right away…
    const made = t.connections.length;
    expect((await t.call(bob, 'GET', '/api/v1/orders')).statusCode).toBe(502);
    expect(t.connections.length).toBe(made);
    // …new ones are (and the sim accepts these).
    await t.call(bob, 'PUT', '/api/v1/broker-keys', {
      ...{ keyId: ALICE.key, secretKey: ALICE.secret },
      scope: 'paper',
    });
    const account = await t.call(bob, 'GET', '/api/v1/account');
    expect(account.statusCode).toBe(200);
    expect(account.json()).toMatchObject({ broker: 'alpaca', account_number: 'ALPACA-PAPER-0001' });
    expect(t.connections.length).toBe(made + 1);
  });
});
