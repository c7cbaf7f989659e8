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

  it('refuses a second order with a taken client_order_id through the unique index', async () => {
    const [again] = ordersOf(
      {
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'day',
        qty: '1',
        clientOrderId: 'bracket-1',
      },
      crypto.randomUUID(),
      T,
    );
    const result = await store.transaction(accountId, (tx) => tx.insertOrders([again!]));
    expect(result).toBe('duplicate_client_order_id');
    expect(await store.orders(accountId).get(again!.id)).toBeNull();
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

  it('applies a fill once: a replayed execution id moves neither the position nor the cash', async () => {
    const [order] = ordersOf(
      { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', qty: '10' },
      crypto.randomUUID(),
      T,
    );
    await store.transaction(accountId, (tx) => tx.insertOrders([order!]));
    const fill = fillOf(order!.id, '10', '100.05');
    const filled = { ...order!, status: 'filled' as const, filledQty: new Money(10) };
    const first = await store.transaction(accountId, (tx) => tx.applyFill(fill, filled));
    const replay = await store.transaction(accountId, (tx) => tx.applyFill(fill, filled));
    expect(first).toEqual({ applied: true, positionQty: new Money(10) });
    expect(replay.applied).toBe(false);
    const [position] = await store.positions(accountId);
    expect(position?.qty.toString()).toBe('10');
    expect(position?.avgEntryPrice.toString()).toBe('100.05');
    const account = (await store.listAccounts())[0];
    expect(account?.cash.toString()).toBe('98999.15');
    const fills = await store.fills(accountId, { direction: 'asc', limit: 10 });
    expect(fills).toHaveLength(1);
    expect(fills[0]?.fill).toEqual(fill);
    expect(await store.fillSeq(accountId, fill.id)).toBe(fills[0]?.seq);
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
