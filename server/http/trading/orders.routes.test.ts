import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../../core/kernel/index.js';
import { type TestUser, type TradingTestApp, tradingTestApp } from './testing/trading-fixture.js';

const limitBuy = (extra: Record<string, unknown> = {}) => ({
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  time_in_force: 'gtc',
  qty: '2',
  limit_price: '1.5',
  ...extra,
});

describe('orderRoutes', () => {
  let t: TradingTestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await tradingTestApp();
    alice = await t.user('trader');
    bob = await t.user('trader');
    await t.advance(2_000);
  });
  afterAll(async () => {
    await t.close();
  });

  it('places, gets, finds by client_order_id, lists, replaces and cancels an order', async () => {
    const placed = await t.call(
      alice,
      'POST',
      '/api/v1/orders',
      limitBuy({ qty: 3, client_order_id: 'mine-1' }),
    );
    expect(placed.statusCode).toBe(200);
    const order = placed.json();
    expect(order).toMatchObject({
      symbol: 'AAPL',
      qty: '3',
      limit_price: '1.5',
      status: 'new',
      client_order_id: 'mine-1',
    });
    expect((await t.call(alice, 'GET', `/api/v1/orders/${order.id}`)).json()).toMatchObject({ id: order.id });
    const byCid = await t.call(alice, 'GET', '/api/v1/orders:by_client_order_id?client_order_id=mine-1');
    expect(byCid.json().id).toBe(order.id);
    expect(
      (await t.call(alice, 'GET', '/api/v1/orders?status=open')).json().map((o: { id: string }) => o.id),
    ).toEqual([order.id]);

    const replaced = await t.call(alice, 'PATCH', `/api/v1/orders/${order.id}`, {
      limit_price: '1.6',
      qty: '4',
    });
    expect(replaced.statusCode).toBe(200);
    const next = replaced.json();
    expect(next).toMatchObject({ replaces: order.id, limit_price: '1.6', qty: '4' });
    expect((await t.call(alice, 'GET', `/api/v1/orders/${order.id}`)).json()).toMatchObject({
      status: 'replaced',
      replaced_by: next.id,
    });

    expect((await t.call(alice, 'DELETE', `/api/v1/orders/${next.id}`)).statusCode).toBe(204);
    expect((await t.call(alice, 'GET', `/api/v1/orders/${next.id}`)).json().status).toBe('canceled');
    const again = await t.call(alice, 'DELETE', `/api/v1/orders/${next.id}`);
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe('TRADING_ORDER_NOT_CANCELABLE');
    const closed = (await t.call(alice, 'GET', '/api/v1/orders?status=closed')).json();
    // Both were submitted at the same market instant (the test clock stands still).
    expect(closed.map((o: { id: string }) => o.id).sort()).toEqual([order.id, next.id].sort());
  });

  it('cancels every open order with a 207 list', async () => {
    const a = (await t.call(alice, 'POST', '/api/v1/orders', limitBuy())).json();
    const b = (await t.call(alice, 'POST', '/api/v1/orders', limitBuy({ limit_price: '1.4' }))).json();
    const res = await t.call(alice, 'DELETE', '/api/v1/orders');
    expect(res.statusCode).toBe(207);
    expect(
      res
        .json()
        .map((r: { id: string }) => r.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(res.json().every((r: { status: number }) => r.status === 200)).toBe(true);
    expect((await t.call(alice, 'GET', '/api/v1/orders?status=open')).json()).toEqual([]);
  });

  it('returns the first order when a POST is retried with the same client_order_id', async () => {
    const body = limitBuy({ client_order_id: 'retry-me', qty: '5' });
    const [first, second] = await Promise.all([
      t.call(alice, 'POST', '/api/v1/orders', body),
      t.call(alice, 'POST', '/api/v1/orders', { ...body, qty: 5 }),
    ]);
    expect(first.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    const conflict = await t.call(alice, 'POST', '/api/v1/orders', { ...body, qty: '6' });
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().code).toBe('TRADING_CLIENT_ORDER_ID_CONFLICT');
    const all = (await t.call(alice, 'GET', '/api/v1/orders?status=all&limit=500')).json();
    expect(all.filter((o: { client_order_id: string }) => o.client_order_id === 'retry-me')).toHaveLength(1);
  });

  it.each([
    [
      'limit without limit_price',
      { type: 'limit', limit_price: undefined },
      'TRADING_LIMIT_PRICE_REQUIRED',
      'limit_price',
    ],
    [
      'notional with limit',
      { notional: '100', qty: undefined, time_in_force: 'day' },
      'TRADING_NOTIONAL_NOT_ALLOWED',
      'notional',
    ],
    ['qty of zero', { qty: '0' }, 'TRADING_INVALID_ORDER', 'qty'],
    ['negative qty', { qty: -1 }, 'TRADING_INVALID_ORDER', 'qty'],
    ['fractional gtc', { qty: '1.5' }, 'TRADING_FRACTIONAL_NOT_ALLOWED', 'fractional'],
    [
      'bracket legs on the wrong side',
      {
        order_class: 'bracket',
        time_in_force: 'day',
        take_profit: { limit_price: '1.2' },
        stop_loss: { stop_price: '1.8' },
      },
      'TRADING_INVALID_LEG_PRICE',
      'take_profit.limit_price',
    ],
    ['an unknown symbol', { symbol: 'ZZZZ' }, 'TRADING_UNKNOWN_SYMBOL', 'symbol'],
  ])('refuses %s with 422 and stores nothing', async (_name, change, code, field) => {
    const cid = `refused-${code}-${String(field)}`;
    const res = await t.call(alice, 'POST', '/api/v1/orders', limitBuy({ ...change, client_order_id: cid }));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe(code);
    expect(res.json().message).toContain(field);
    const lookup = await t.call(alice, 'GET', `/api/v1/orders:by_client_order_id?client_order_id=${cid}`);
    expect(lookup.statusCode).toBe(404);
  });

  it('hides another user’s orders: their ids give 404 with no data, and cannot be changed', async () => {
    const mine = (
      await t.call(alice, 'POST', '/api/v1/orders', limitBuy({ client_order_id: 'private' }))
    ).json();
    for (const [method, url, payload] of [
      ['GET', `/api/v1/orders/${mine.id}`, undefined],
      ['PATCH', `/api/v1/orders/${mine.id}`, { limit_price: '1.1' }],
      ['DELETE', `/api/v1/orders/${mine.id}`, undefined],
      ['GET', '/api/v1/orders:by_client_order_id?client_order_id=private', undefined],
    ] as const) {
      const res = await t.call(bob, method, url, payload);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        code: 'TRADING_ORDER_NOT_FOUND',
        message: expect.any(String),
        requestId: expect.any(String),
      });
      expect(res.body).not.toContain('AAPL');
    }
    expect((await t.call(bob, 'GET', '/api/v1/orders?status=all')).json()).toEqual([]);
    expect((await t.call(alice, 'GET', `/api/v1/orders/${mine.id}`)).json()).toMatchObject({
      status: 'new',
      limit_price: '1.5',
    });
  });

  it('lets a viewer read but not trade, and needs a session', async () => {
    const viewer = await t.user('viewer');
    expect((await t.call(viewer, 'GET', '/api/v1/account')).statusCode).toBe(200);
    expect((await t.call(viewer, 'GET', '/api/v1/orders')).statusCode).toBe(200);
    const res = await t.call(viewer, 'POST', '/api/v1/orders', limitBuy());
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('AUTH_FORBIDDEN');
    expect((await t.call(viewer, 'DELETE', '/api/v1/orders')).statusCode).toBe(403);
    expect((await t.call(viewer, 'GET', '/api/v1/orders?status=all')).json()).toEqual([]);
    const anonymous = await t.app.http.inject({ method: 'GET', url: '/api/v1/orders' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('reports buying power net of what working buys hold, and frees it when they are canceled', async () => {
    const dave = await t.user('trader');
    const account = async () => (await t.call(dave, 'GET', '/api/v1/account')).json();
    const before = await account();
    const resting = (await t.call(dave, 'POST', '/api/v1/orders', limitBuy({ qty: '40' }))).json();
    const holding = await account();
    expect(holding.cash).toBe(before.cash);
    expect(new Money(before.buying_power).minus(holding.buying_power).toString()).toBe('60');
    expect((await t.call(dave, 'DELETE', `/api/v1/orders/${resting.id}`)).statusCode).toBe(204);
    expect((await account()).buying_power).toBe(before.buying_power);
  });

  it('judges a replacement by the same guards as a new order, without the order it replaces', async () => {
    const carol = await t.user('trader');
    const bp = Number((await t.call(carol, 'GET', '/api/v1/account')).json().buying_power);
    // Most of the buying power held by one resting buy: moving its price must not count it twice.
    const qty = String(Math.floor((bp * 0.9) / 1.5));
    const held = (await t.call(carol, 'POST', '/api/v1/orders', limitBuy({ qty }))).json();
    const moved = await t.call(carol, 'PATCH', `/api/v1/orders/${held.id}`, { limit_price: '1.6' });
    expect(moved.statusCode).toBe(200);
    const current = moved.json();
    expect(current).toMatchObject({ replaces: held.id, qty, limit_price: '1.6' });

    const tooBig = await t.call(carol, 'PATCH', `/api/v1/orders/${current.id}`, {
      qty: String(Math.ceil((bp * 1.1) / 1.6)),
    });
    expect(tooBig.statusCode).toBe(403);
    expect(tooBig.json().code).toBe('TRADING_INSUFFICIENT_BUYING_POWER');

    await t.call(carol, 'PUT', '/api/v1/risk-limits', { max_order_notional: '1000' });
    const overLimit = await t.call(carol, 'PATCH', `/api/v1/orders/${current.id}`, { qty: '1000' });
    expect(overLimit.statusCode).toBe(403);
    expect(overLimit.json()).toMatchObject({ code: 'TRADING_MAX_NOTIONAL_EXCEEDED' });
    // Refused replacements leave the order working as it was, with no replacement.
    expect((await t.call(carol, 'GET', `/api/v1/orders/${current.id}`)).json()).toMatchObject({
      status: 'new',
      replaced_by: null,
      qty,
    });
    const within = await t.call(carol, 'PATCH', `/api/v1/orders/${current.id}`, { qty: '600' });
    expect(within.statusCode).toBe(200);
    expect(within.json()).toMatchObject({ qty: '600', limit_price: '1.6' });
  });
});
