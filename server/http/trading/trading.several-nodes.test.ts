import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, freshPostgres } from '../../testing/databases.js';
import {
  type PaperNode,
  TestMarket,
  databaseUrlOf,
  startPaperNode,
  testRedisPrefix,
} from '../../testing/paper-nodes.js';
import { type TestApp, createTestApp } from '../../testing/test-app.js';
import { type TestUser, callAs, eventually, signedInUser } from './testing/trading-fixture.js';

// Two Pulse nodes behind one load balancer: whichever node a request reaches, the answer is the same.
const limitBuy = (extra: Record<string, unknown> = {}) => ({
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  time_in_force: 'gtc',
  qty: '10',
  limit_price: '100',
  ...extra,
});

/** Status and body, less the per-request id an error carries. */
const answer = (res: LightMyRequestResponse) => {
  const body: unknown = res.body === '' ? null : res.json();
  if (body !== null && typeof body === 'object' && 'requestId' in body) {
    const { requestId: _requestId, ...rest } = body;
    return { status: res.statusCode, body: rest };
  }
  return { status: res.statusCode, body };
};

describe('trading routes on several nodes', () => {
  let database: TestDatabase;
  let market: TestMarket;
  let owner: { node: PaperNode; app: TestApp };
  let follower: { node: PaperNode; app: TestApp };
  let trader: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    database = await freshPostgres();
    const databaseUrl = await databaseUrlOf(database);
    const prefix = testRedisPrefix();
    market = new TestMarket();
    market.quote('AAPL', 100.5, 100.6);
    market.print('AAPL', 100.55);
    const start = async () => {
      const node = await startPaperNode({ database, databaseUrl, market, prefix });
      const app = await createTestApp({ rateLimit: 'off', trading: node.trading }, { database });
      return { node, app };
    };
    owner = await start();
    follower = await start();
    expect(owner.node.trading.isOwner).toBe(true);
    expect(follower.node.trading.isOwner).toBe(false);
    trader = await signedInUser(database.handle.db, 'trader');
    admin = await signedInUser(database.handle.db, 'admin');
  });

  afterAll(async () => {
    for (const { node, app } of [follower, owner]) {
      await app.close();
      await node.stop();
    }
    await database.dispose();
  });

  const onBoth = async (
    who: TestUser,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
  ) => {
    const viaOwner = await callAs(owner.app.app, who, method, url, body);
    const viaFollower = await callAs(follower.app.app, who, method, url, body);
    return { viaOwner, viaFollower };
  };

  it('places through the follower and shows the same order, account and limits on both nodes', async () => {
    const placed = await callAs(
      follower.app.app,
      trader,
      'POST',
      '/api/v1/orders',
      limitBuy({ client_order_id: 'n-1' }),
    );
    expect(placed.statusCode).toBe(200);
    const order = placed.json<{ id: string; status: string }>();
    expect(order.status).toBe('new');

    const get = await onBoth(trader, 'GET', `/api/v1/orders/${order.id}`);
    expect(answer(get.viaFollower)).toEqual(answer(get.viaOwner));
    expect(get.viaOwner.json()).toEqual(order);

    const limits = await callAs(follower.app.app, trader, 'PUT', '/api/v1/risk-limits', {
      max_order_notional: '500',
    });
    expect(limits.statusCode).toBe(200);
    const read = await onBoth(trader, 'GET', '/api/v1/risk-limits');
    expect(answer(read.viaFollower)).toEqual(answer(read.viaOwner));
    expect(read.viaOwner.json()).toMatchObject({ max_order_notional: '500' });

    const account = await onBoth(trader, 'GET', '/api/v1/account');
    expect(account.viaOwner.statusCode).toBe(200);
    expect(answer(account.viaFollower)).toEqual(answer(account.viaOwner));
  });

  it('refuses alike on both nodes', async () => {
    const tooBig = await onBoth(trader, 'POST', '/api/v1/orders', limitBuy({ qty: '50' }));
    expect(tooBig.viaOwner.statusCode).toBe(403);
    expect(answer(tooBig.viaFollower)).toEqual(answer(tooBig.viaOwner));

    const invalid = await onBoth(trader, 'POST', '/api/v1/orders', limitBuy({ limit_price: undefined }));
    expect(invalid.viaOwner.statusCode).toBeGreaterThanOrEqual(400);
    expect(answer(invalid.viaFollower)).toEqual(answer(invalid.viaOwner));

    const missing = await onBoth(trader, 'DELETE', '/api/v1/orders/00000000-0000-4000-8000-000000000000');
    expect(missing.viaOwner.json()).toMatchObject({ code: 'TRADING_ORDER_NOT_FOUND' });
    expect(answer(missing.viaFollower)).toEqual(answer(missing.viaOwner));
  });

  it('takes the kill switch through the follower and streams the cancel to its listeners', async () => {
    const placed = (
      await callAs(
        follower.app.app,
        trader,
        'POST',
        '/api/v1/orders',
        limitBuy({ qty: '1', client_order_id: 'n-2' }),
      )
    ).json<{ id: string }>();
    const on = await callAs(follower.app.app, admin, 'PUT', '/api/v1/admin/kill-switch', { active: true });
    expect(on.json()).toEqual({ active: true, canceled: 2 });
    const seen = await onBoth(trader, 'GET', `/api/v1/orders/${placed.id}`);
    expect(seen.viaOwner.json()).toMatchObject({ status: 'canceled' });
    expect(answer(seen.viaFollower)).toEqual(answer(seen.viaOwner));
    await eventually(async () =>
      follower.node.updates.some((u) => u.update.event === 'canceled' && u.update.order.id === placed.id)
        ? true
        : undefined,
    );
    const off = await callAs(owner.app.app, admin, 'PUT', '/api/v1/admin/kill-switch', { active: false });
    expect(off.json()).toEqual({ active: false, canceled: 0 });
  });
});
