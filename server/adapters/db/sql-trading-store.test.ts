import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../../core/kernel/index.js';
import { type Fill, fillModel, riskLimits } from '../../../core/trading/index.js';
import { ordersOf } from '../../../core/testing/trading-fixtures.js';
import { ENGINES, type TestDatabase } from '../../testing/databases.js';
import { sql } from 'kysely';
import { verifyAuditChain } from '../../accounts/audit-chain.js';
import { SqlAuditLog, SqlUserStore } from './sql-stores.js';
import { SqlTradingStore } from './sql-trading-store.js';
import type { FillOutcome } from '../../trading/trading-store.js';

const T = Date.parse('2024-03-12T14:30:00Z');

function fillOf(orderId: string, qty: string, price: string, id = crypto.randomUUID()): Fill {
  return {
    id,
    orderId,
    symbol: 'AAPL',
    side: 'buy',
    qty: new Money(qty),
    price: new Money(price),
    t: T,
    referencePrice: new Money(price),
    liquidity: 'taker',
    slippageBps: 0,
    latencyMs: 0,
    commission: new Money('0.35'),
  };
}

describe.each(ENGINES)('SqlTradingStore and SqlOrderStore on %s', (_engine, open) => {
  let test: TestDatabase;
  let store: SqlTradingStore;
  let accountId: string;

  beforeAll(async () => {
    test = await open();
    store = new SqlTradingStore(test.handle.db);
    const userId = crypto.randomUUID();
    await new SqlUserStore(test.handle.db).insert({
      id: userId,
      email: 'a@example.com',
      passwordHash: 'h',
      role: 'trader',
    });
    const defaults = {
      kind: 'margin' as const,
      startingCash: new Money('100000'),
      fillModel: fillModel(),
      riskLimits: riskLimits(),
    };
    accountId = (await store.ensureAccount(userId, defaults)).id;
    expect((await store.ensureAccount(userId, defaults)).id).toBe(accountId);
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('stores every order field exactly and reads it back by id and client_order_id, scoped to the account', async () => {
    const [entry, tp, sl] = ordersOf(
      {
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'gtc',
        qty: '3',
        limitPrice: '99.99',
        clientOrderId: 'bracket-1',
        orderClass: 'bracket',
        takeProfit: { limitPrice: '105.5' },
        stopLoss: { stopPrice: '95', limitPrice: '94.5' },
      },
      crypto.randomUUID(),
      T,
    );
    const orders = store.orders(accountId);
    for (const o of [entry!, tp!, sl!]) await orders.save(o);
    expect(await orders.get(entry!.id)).toEqual(entry);
    expect(await orders.getByClientId('bracket-1')).toEqual(entry);
    expect((await orders.get(sl!.id))?.stopPrice?.toString()).toBe('95');
    expect(await store.orders(crypto.randomUUID()).get(entry!.id)).toBeNull();
    expect((await orders.list({ status: 'open' })).map((o) => o.id)).toHaveLength(3);
    expect(await orders.list({ status: 'closed' })).toEqual([]);
  });

  it('commits a step without fills in one statement: orders exactly, audit rows chained, nothing when a client_order_id is taken', async () => {
    const auditRows = async () =>
      Number(
        (await sql<{ n: string }>`select count(*)::text as n from audit_log`.execute(test.handle.db)).rows[0]
          ?.n,
      );
    const event = (action: string) => ({ actorId: null, action, ip: null, detail: { n: 1 } });
    const [entry, tp, sl] = ordersOf(
      {
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'gtc',
        qty: '2',
        limitPrice: '98.12',
        clientOrderId: 'commit-1',
        orderClass: 'bracket',
        takeProfit: { limitPrice: '110' },
        stopLoss: { stopPrice: '90', limitPrice: '89.5' },
      },
      crypto.randomUUID(),
      T,
    );
    const orders = store.orders(accountId);
    const audited = await auditRows();
    const placed = await store.commitOrders(accountId, {
      insert: [entry!, tp!, sl!],
      save: [],
      audit: [event('trading.order.new'), event('trading.order.new')],
    });
    expect(placed).toBe('committed');
    expect(await orders.getMany([entry!.id, tp!.id, sl!.id])).toEqual(
      expect.arrayContaining([entry, tp, sl]),
    );
    expect(await auditRows()).toBe(audited + 2);
    // A taken client_order_id refuses the lot: the fresh order, the change and the audit row are undone.
    const canceled = { ...entry!, status: 'canceled' as const, canceledAt: T + 5, updatedAt: T + 5 };
    const [fresh] = ordersOf(
      {
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        qty: '1',
        clientOrderId: 'commit-2',
      },
      crypto.randomUUID(),
      T,
    );
    const [taken] = ordersOf(
      {
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        qty: '1',
        clientOrderId: 'commit-1',
      },
      crypto.randomUUID(),
      T,
    );
    const refused = await store.commitOrders(accountId, {
      insert: [fresh!, taken!],
      save: [canceled],
      audit: [event('trading.order.canceled')],
    });
    expect(refused).toBe('duplicate_client_order_id');
    expect(await orders.get(fresh!.id)).toBeNull();
    expect(await orders.get(entry!.id)).toEqual(entry);
    expect(await auditRows()).toBe(audited + 2);
    // A change alone (another account's order is never overwritten), with no audit rows.
    expect(await store.commitOrders(accountId, { insert: [], save: [canceled], audit: [] })).toBe(
      'committed',
    );
    expect(await orders.get(entry!.id)).toEqual(canceled);
    expect(await store.commitOrders(crypto.randomUUID(), { insert: [], save: [entry!], audit: [] })).toBe(
      'committed',
    );
    expect(await orders.get(entry!.id)).toEqual(canceled);
    expect(await auditRows()).toBe(audited + 2);
    expect((await verifyAuditChain(new SqlAuditLog(test.handle.db))).ok).toBe(true);
  });

  it('commits steps with fills in one read and one write: a replay is not applied, a flip, a close to zero, cash to the cent', async () => {
    const userId = crypto.randomUUID();
    await new SqlUserStore(test.handle.db).insert({
      id: userId,
      email: `${userId}@example.com`,
      passwordHash: 'h',
      role: 'trader',
    });
    const own = (
      await store.ensureAccount(userId, {
        kind: 'margin',
        startingCash: new Money('100000'),
        fillModel: fillModel(),
        riskLimits: riskLimits(),
      })
    ).id;
    const cash = async () => (await store.listAccounts()).find((a) => a.id === own)?.cash.toString();
    const audits = async () =>
      Number(
        (await sql<{ n: string }>`select count(*)::text as n from audit_log`.execute(test.handle.db)).rows[0]
          ?.n,
      );
    const event = (action: string) => [{ actorId: userId, action, ip: null, detail: { n: 2 } }];
    const order = (side: 'buy' | 'sell', qty: string, clientOrderId: string) => {
      const [o] = ordersOf(
        { symbol: 'MSFT', side, type: 'market', timeInForce: 'day', qty, clientOrderId },
        crypto.randomUUID(),
        T,
      );
      return { ...o!, status: 'filled' as const, filledQty: new Money(qty) };
    };
    const fill = (o: { id: string; side: 'buy' | 'sell' }, qty: string, price: string): Fill => ({
      ...fillOf(o.id, qty, price),
      symbol: 'MSFT',
      side: o.side,
    });
    const seen: FillOutcome[][] = [];
    const settle = (equity: string | null) => (outcomes: readonly FillOutcome[]) => {
      seen.push([...outcomes]);
      return {
        audit: event('trade.fill'),
        equity: equity === null ? null : { at: T, equity: new Money(equity), cash: new Money('1.01') },
      };
    };
    const audited = await audits();

    const buy = order('buy', '10', 'fills-1');
    const first = fill(buy, '10', '100.05');
    const opened = { insert: [buy], save: [], fills: [{ fill: first, order: buy }] };
    expect(await store.commitFills(own, opened, settle('100000.5'))).toBe('committed');
    expect(seen[0]).toEqual([{ applied: true, positionQty: new Money(10) }]);
    expect(await cash()).toBe('98999.15');

    // The replayed execution moves nothing; the sell of 15 closes 10 (realising 10.5) and opens 5 short.
    const sell = order('sell', '15', 'fills-2');
    const flip = fill(sell, '15', '101.1');
    const flipped = {
      insert: [sell],
      save: [],
      fills: [
        { fill: first, order: buy },
        { fill: flip, order: sell },
      ],
    };
    expect(await store.commitFills(own, flipped, settle(null))).toBe('committed');
    expect(seen[1]).toEqual([
      { applied: false, positionQty: new Money(10) },
      { applied: true, positionQty: new Money(-5) },
    ]);
    expect(await cash()).toBe('100515.3');
    const [short] = await store.positions(own);
    expect([short?.qty, short?.avgEntryPrice, short?.realizedPl].map(String)).toEqual([
      '-5',
      '101.1',
      '10.5',
    ]);

    // A step of replays only changes nothing.
    const replayed = { insert: [], save: [], fills: [{ fill: flip, order: sell }] };
    expect(await store.commitFills(own, replayed, settle(null))).toBe('committed');
    expect(seen[2]).toEqual([{ applied: false, positionQty: new Money(-5) }]);
    expect(await cash()).toBe('100515.3');

    // A taken client_order_id rolls the whole step back: no fill, no position, no cash, no audit row.
    const taken = order('buy', '5', 'fills-1');
    const refused = { insert: [taken], save: [], fills: [{ fill: fill(taken, '5', '99.99'), order: taken }] };
    expect(await store.commitFills(own, refused, settle('1'))).toBe('duplicate_client_order_id');
    expect(await cash()).toBe('100515.3');
    expect((await store.positions(own)).map((p) => p.qty.toString())).toEqual(['-5']);

    // Buying 5 back closes the short (realising 5.55): the position row is deleted.
    const cover = order('buy', '5', 'fills-3');
    const close = fill(cover, '5', '99.99');
    expect(
      await store.commitFills(
        own,
        { insert: [cover], save: [], fills: [{ fill: close, order: cover }] },
        settle('100015.01'),
      ),
    ).toBe('committed');
    expect(seen[4]).toEqual([{ applied: true, positionQty: new Money(0) }]);
    expect(await store.positions(own)).toEqual([]);
    expect(await cash()).toBe('100015');

    // Concurrent steps (PostgreSQL runs them on several connections): each waits for the row lock and
    // reads the position its predecessor left, so nothing is lost.
    const buys = ['1', '2', '3', '4', '5'].map((qty) => {
      const o = order('buy', qty, `fills-c${qty}`);
      return { insert: [o], save: [], fills: [{ fill: fill(o, qty, '20'), order: o }] };
    });
    expect(await Promise.all(buys.map((b) => store.commitFills(own, b, settle(null))))).toEqual(
      buys.map(() => 'committed'),
    );
    const [held] = await store.positions(own);
    expect([held?.qty, held?.avgEntryPrice, held?.realizedPl].map(String)).toEqual(['15', '20', '0']);
    expect(await cash()).toBe('99713.25');

    const fills = await store.fills(own, { direction: 'asc', limit: 10 });
    expect(fills.map((f) => [f.fill.id, f.positionQty.toString(), f.cumQty.toString()])).toEqual([
      [first.id, '10', '10'],
      [flip.id, '-5', '15'],
      [close.id, '0', '5'],
      ...buys.map(() => [expect.any(String), expect.any(String), expect.any(String)]),
    ]);
    expect(fills[1]?.fill).toEqual(flip);
    expect((await store.equity(own, T, T)).map((p) => [p.equity.toString(), p.cash.toString()])).toEqual([
      ['100015.01', '1.01'],
    ]);
    expect(await audits()).toBe(audited + 9);
    expect((await verifyAuditChain(new SqlAuditLog(test.handle.db))).ok).toBe(true);
  });

  it('keeps settings, the kill switch and equity points', async () => {
    const limits = riskLimits({ maxOrderNotional: new Money('5000.5'), denySymbols: ['GME'] });
    const updated = await store.updateSettings(accountId, {
      riskLimits: limits,
      fillModel: fillModel({ slippageBps: 5 }),
    });
    expect(updated.riskLimits.maxOrderNotional?.toString()).toBe('5000.5');
    expect(updated.riskLimits.denySymbols).toEqual(['GME']);
    expect(updated.fillModel.slippageBps).toBe(5);
    expect(await store.killSwitch()).toBe(false);
    await store.setKillSwitch(true);
    expect(await store.killSwitch()).toBe(true);
    await store.recordEquity(accountId, { at: T, equity: new Money('100000.01'), cash: new Money(1) });
    await store.recordEquity(accountId, { at: T, equity: new Money('100000.02'), cash: new Money(1) });
    const points = await store.equity(accountId, T - 1, T + 1);
    expect(points.map((p) => p.equity.toString())).toEqual(['100000.02']);
  });
});
