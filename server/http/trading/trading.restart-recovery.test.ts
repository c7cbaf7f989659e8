import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPglite, type TestDatabase } from '../../testing/databases.js';
import { type TestUser, type TradingTestApp, tradingTestApp } from './testing/trading-fixture.js';

describe('paper trading across a restart', () => {
  let database: TestDatabase;
  let first: TradingTestApp;
  let second: TradingTestApp | undefined;
  let alice: TestUser;

  beforeAll(async () => {
    database = await freshPglite();
    first = await tradingTestApp({ database });
    alice = await first.user('trader');
    await first.advance(2_000);
  });
  afterAll(async () => {
    await second?.close();
    await database.dispose();
  });

  it('resumes open orders and re-arms bracket exits from the database, and never doubles a fill', async () => {
    const ask = first.live.latestQuote('AAPL')?.askPrice ?? 0;
    const resting = (
      await first.call(alice, 'POST', '/api/v1/orders', {
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        time_in_force: 'gtc',
        qty: '4',
        limit_price: (ask - 20).toFixed(2),
      })
    ).json();
    const bracket = (
      await first.call(alice, 'POST', '/api/v1/orders', {
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        time_in_force: 'gtc',
        qty: '6',
        order_class: 'bracket',
        take_profit: { limit_price: (ask + 50).toFixed(2) },
        stop_loss: { stop_price: (ask - 50).toFixed(2) },
      })
    ).json();
    expect(bracket.status).toBe('filled');
    const [tpId, slId] = bracket.legs.map((l: { id: string }) => l.id);
    const before = {
      account: (await first.call(alice, 'GET', '/api/v1/account')).json(),
      positions: (await first.call(alice, 'GET', '/api/v1/positions')).json(),
      activities: (await first.call(alice, 'GET', '/api/v1/activities')).json(),
    };
    expect(before.activities).toHaveLength(1);
    await first.close();

    second = await tradingTestApp({ database });
    const t = second;
    await t.advance(2_000);
    expect((await t.call(alice, 'GET', `/api/v1/orders/${resting.id}`)).json().status).toBe('new');
    expect((await t.call(alice, 'GET', `/api/v1/orders/${tpId}`)).json()).toMatchObject({
      status: 'new',
      order_class: 'bracket',
    });
    expect((await t.call(alice, 'GET', `/api/v1/orders/${slId}`)).json().status).toBe('held');
    expect((await t.call(alice, 'GET', '/api/v1/account')).json().cash).toBe(before.account.cash);
    expect(
      (await t.call(alice, 'GET', '/api/v1/positions')).json().map((p: { qty: string }) => p.qty),
    ).toEqual(before.positions.map((p: { qty: string }) => p.qty));
    expect((await t.call(alice, 'GET', '/api/v1/activities')).json()).toEqual(before.activities);

    // The resting order works again: made marketable, it fills once.
    const bid = t.live.latestQuote('AAPL')?.bidPrice ?? 0;
    const marketable = (
      await t.call(alice, 'PATCH', `/api/v1/orders/${resting.id}`, { limit_price: (bid + 5).toFixed(2) })
    ).json();
    expect(marketable.replaces).toBe(resting.id);
    await t.advance(1_000, 2);
    expect((await t.call(alice, 'GET', `/api/v1/orders/${marketable.id}`)).json().status).toBe('filled');
    // The re-armed exits still act as one group: moving the take-profit keeps it a bracket leg.
    const tp = (
      await t.call(alice, 'PATCH', `/api/v1/orders/${tpId}`, { limit_price: (ask + 40).toFixed(2) })
    ).json();
    expect(tp).toMatchObject({ order_class: 'bracket', replaces: tpId });
    const entry = (await t.call(alice, 'GET', `/api/v1/orders/${bracket.id}?nested=true`)).json();
    expect(entry.legs.map((l: { id: string }) => l.id)).toEqual([tp.id, slId]);
    expect((await t.call(alice, 'DELETE', `/api/v1/orders/${tp.id}`)).statusCode).toBe(204);
    expect((await t.call(alice, 'GET', `/api/v1/orders/${slId}`)).json().status).toBe('canceled');

    const activities = (await t.call(alice, 'GET', '/api/v1/activities')).json();
    expect(activities).toHaveLength(2);
    expect(new Set(activities.map((a: { id: string }) => a.id)).size).toBe(2);
    expect((await t.call(alice, 'GET', '/api/v1/positions/AAPL')).json().qty).toBe('10');
  });
});
