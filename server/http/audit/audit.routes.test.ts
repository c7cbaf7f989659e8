import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  type TestUser,
  type TradingTestApp,
  tradingTestApp,
} from '../trading/testing/trading-fixture.js';

describe('auditRoutes', () => {
  let t: TradingTestApp;
  let owner: TestUser;
  let trader: TestUser;
  beforeAll(async () => {
    t = await tradingTestApp();
    owner = await t.user('owner');
    trader = await t.user('trader');
  });
  afterAll(async () => {
    await t.close();
  });

  type Listing = {
    entries: { id: string; action: string; actorId: string; detail: Record<string, unknown> }[];
    verification?: { ok: boolean; firstBrokenId: string | null };
  };

  it('records orders placed and cancelled from the trading service, filterable by actor and action', async () => {
    const placed = await t.call(trader, 'POST', '/api/v1/orders', {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'gtc',
      qty: '1',
      limit_price: '1.5',
      client_order_id: 'audit-1',
    });
    const orderId = placed.json<{ id: string }>().id;
    await t.call(trader, 'DELETE', `/api/v1/orders/${orderId}`);
    const listing = await eventually(async () => {
      const res = await t.call(owner, 'GET', `/api/v1/admin/audit?actorId=${trader.id}`);
      const body = res.json<Listing>();
      return body.entries.some((e) => e.action === 'order.canceled') ? body : undefined;
    });
    expect(listing.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['order.placed', 'order.canceled']),
    );
    expect(listing.entries.find((e) => e.action === 'order.placed')?.detail).toMatchObject({
      orderId,
      clientOrderId: 'audit-1',
      symbol: 'AAPL',
    });
    const onlyPlaced = await t.call(owner, 'GET', '/api/v1/admin/audit?action=order.placed');
    expect(onlyPlaced.json<Listing>().entries.every((e) => e.action === 'order.placed')).toBe(true);
  });

  it('is for owners and admins only', async () => {
    expect((await t.call(trader, 'GET', '/api/v1/admin/audit')).json()).toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
  });

  it('verifies the hash chain on request and names the first row changed in the database', async () => {
    await t.call(trader, 'POST', '/api/v1/tokens', { name: 'ci', scope: 'read' });
    const clean = await t.call(owner, 'GET', '/api/v1/admin/audit?verify=1&limit=1');
    expect(clean.json<Listing>().verification).toMatchObject({ ok: true, firstBrokenId: null });
    const target = await t.database.handle.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'token.created')
      .executeTakeFirstOrThrow();
    await sql`update audit_log set actor_id = 'someone-else' where id = ${String(target.id)}`.execute(
      t.database.handle.db,
    );
    const broken = await t.call(owner, 'GET', '/api/v1/admin/audit?verify=1&limit=1');
    expect(broken.json<Listing>().verification).toMatchObject({
      ok: false,
      firstBrokenId: String(target.id),
    });
  });
});
