import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECENT_ORDERS_MS } from '../../trading/paper-account.js';
import { type TestUser, type TradingTestApp, tradingTestApp } from './testing/trading-fixture.js';

/**
 * A paper account's engine keeps its open orders and the last RECENT_ORDERS_MS of closed ones, not every order it
 * ever placed (a bot placing orders all day would otherwise grow the server's memory without end). What it
 * forgets is still answered from the store, exactly as before.
 */
describe('paper trading: closed orders leave memory after the recent window', () => {
  let t: TradingTestApp;
  let alice: TestUser;

  beforeAll(async () => {
    t = await tradingTestApp();
    alice = await t.user('trader');
    await t.advance(2_000);
  });
  afterAll(async () => {
    await t.close();
  });

  const buy = (body: Record<string, unknown>) =>
    t.call(alice, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      time_in_force: 'day',
      qty: 1,
      ...body,
    });

  it('forgets filled and canceled orders once they are older than the window, keeps open ones, and still serves them', async () => {
    const engine = async () => (await t.trading!.account(alice.id)).engine;
    const filled: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const res = await buy({ type: 'market', client_order_id: `fill-${i}` });
      expect(res.json().status).toBe('filled');
      filled.push(res.json().id as string);
    }
    const resting = (await buy({ type: 'limit', limit_price: '1.00', time_in_force: 'gtc' })).json()
      .id as string;
    const canceled = (await buy({ type: 'limit', limit_price: '2.00' })).json().id as string;
    expect((await t.call(alice, 'DELETE', `/api/v1/orders/${canceled}`)).statusCode).toBe(204);
    expect((await engine()).allOrders()).toHaveLength(22);

    await t.advance(RECENT_ORDERS_MS + 60_000, 11);
    const later = (await buy({ type: 'limit', limit_price: '3.00' })).json().id as string;
    expect(
      (await engine())
        .allOrders()
        .map((o) => o.id)
        .sort(),
    ).toEqual([resting, later].sort());

    // Forgotten by the engine, answered by the store as before.
    const first = await t.call(alice, 'GET', `/api/v1/orders/${filled[0]}`);
    expect([first.statusCode, first.json().status]).toEqual([200, 'filled']);
    const cancelAgain = await t.call(alice, 'DELETE', `/api/v1/orders/${filled[0]}`);
    expect([cancelAgain.statusCode, cancelAgain.json().code]).toEqual([422, 'TRADING_ORDER_NOT_CANCELABLE']);
    const retry = await buy({ type: 'market', client_order_id: 'fill-3' });
    expect([retry.statusCode, retry.json().id]).toEqual([200, filled[3]]);
    expect((await engine()).allOrders()).toHaveLength(2);
  });
});
