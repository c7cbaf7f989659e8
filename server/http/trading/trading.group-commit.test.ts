import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../../core/kernel/index.js';
import { verifyAuditChain } from '../../accounts/audit-chain.js';
import { SqlAuditLog } from '../../adapters/db/sql-stores.js';
import type { AuditEntry } from '../../ports.js';
import { type TradingTestApp, tradingTestApp } from './testing/trading-fixture.js';

/** Orders that arrive together are committed together (group commit); every guarantee still holds. */
describe('paper trading: a burst of orders', () => {
  let t: TradingTestApp;

  beforeAll(async () => {
    t = await tradingTestApp();
    await t.advance(2_000);
  });
  afterAll(async () => {
    await t.close();
  });

  async function auditOf(action: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for await (const e of new SqlAuditLog(t.database.handle.db).scan())
      if (e.action === action) entries.push(e);
    return entries;
  }

  it('never lets 30 parallel resting limit orders reserve more than the buying power', async () => {
    const erin = await t.user('trader');
    const before = (await t.call(erin, 'GET', '/api/v1/account')).json();
    const limit = new Money(String(t.live.latestQuote('NVDA')?.bidPrice ?? 0))
      .times('0.9')
      .toDecimalPlaces(2);
    const qty = new Money(30_000).dividedBy(limit).ceil();
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.call(erin, 'POST', '/api/v1/orders', {
          symbol: 'NVDA',
          side: 'buy',
          type: 'limit',
          time_in_force: 'day',
          qty: qty.toString(),
          limit_price: limit.toFixed(2),
        }),
      ),
    );
    const accepted = results.filter((r) => r.statusCode === 200);
    const expected = new Money(before.buying_power).dividedBy(qty.times(limit)).floor().toNumber();
    expect(accepted).toHaveLength(expected);
    expect(
      results
        .filter((r) => r.statusCode !== 200)
        .every((r) => r.json().code === 'TRADING_INSUFFICIENT_BUYING_POWER'),
    ).toBe(true);
    expect(accepted.every((r) => r.json().status === 'new')).toBe(true);
    // Reserved: the accepted orders' value fits in the buying power, one more would not.
    expect(qty.times(limit).times(expected).lte(before.buying_power)).toBe(true);
    expect(
      qty
        .times(limit)
        .times(expected + 1)
        .gt(before.buying_power),
    ).toBe(true);
    const open = (await t.call(erin, 'GET', '/api/v1/orders?status=open&limit=500')).json();
    expect(open.map((o: { id: string }) => o.id).sort()).toEqual(accepted.map((r) => r.json().id).sort());
  });

  it('places a client_order_id sent five times in one burst once, and answers each with that order', async () => {
    const dave = await t.user('trader');
    const body = (cid: string, cents: number) => ({
      symbol: 'INTC',
      side: 'buy',
      type: 'limit',
      time_in_force: 'day',
      qty: '1',
      limit_price: (cents / 100).toFixed(2),
      client_order_id: cid,
    });
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => t.call(dave, 'POST', '/api/v1/orders', body('same-1', 500))),
      ...Array.from({ length: 5 }, (_, i) =>
        t.call(dave, 'POST', '/api/v1/orders', body(`other-${i}`, 501 + i)),
      ),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const same = new Set(results.slice(0, 5).map((r) => r.json().id));
    expect(same.size).toBe(1);
    const listed = (await t.call(dave, 'GET', '/api/v1/orders?status=all&limit=500')).json();
    expect(listed).toHaveLength(6);
    expect(listed.filter((o: { client_order_id: string }) => o.client_order_id === 'same-1')).toHaveLength(1);
    // A different order under a taken client_order_id is refused, in a burst as alone.
    const conflict = await t.call(dave, 'POST', '/api/v1/orders', body('same-1', 499));
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().code).toBe('TRADING_CLIENT_ORDER_ID_CONFLICT');
  });

  it('commits one order.placed audit row per acknowledged order with it, and the chain verifies', async () => {
    const frank = await t.user('trader');
    const audit = new SqlAuditLog(t.database.handle.db);
    const results = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) =>
        t.call(frank, 'POST', '/api/v1/orders', {
          symbol: 'T',
          side: 'buy',
          type: 'limit',
          time_in_force: 'day',
          qty: '2',
          limit_price: (10 + i / 100).toFixed(2),
        }),
      ),
      // Other audit writers append to the same chain at the same time.
      audit.record({ actorId: frank.id, action: 'test.interleaved', ip: null, detail: { n: 1 } }),
      audit.record({ actorId: frank.id, action: 'test.interleaved', ip: null, detail: { n: 2 } }),
    ]);
    const ids = results
      .slice(0, 12)
      .map((r) => (r as { json: () => { id: string } }).json().id)
      .sort();
    // No waiting: the rows are there when the orders are acknowledged.
    const placed = (await auditOf('order.placed')).filter((e) => e.actorId === frank.id);
    expect(placed.map((e) => (JSON.parse(e.detail) as { orderId: string }).orderId).sort()).toEqual(ids);
    expect(JSON.parse(placed[0]?.detail ?? '{}')).toMatchObject({
      symbol: 'T',
      side: 'buy',
      type: 'limit',
      qty: '2',
    });
    expect(await auditOf('test.interleaved')).toHaveLength(2);
    const verified = await verifyAuditChain(audit);
    expect(verified).toMatchObject({ ok: true, firstBrokenId: null });
    expect(verified.checked).toBeGreaterThanOrEqual(14);
    // And an edited row breaks it, so the check above can fail.
    await sql`update audit_log set detail = '{}' where id = ${placed[0]?.id ?? '0'}`.execute(
      t.database.handle.db,
    );
    expect((await verifyAuditChain(audit)).ok).toBe(false);
  });
});
