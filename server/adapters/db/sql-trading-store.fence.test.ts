import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../../core/kernel/index.js';
import { type Fill, type Order, fillModel, riskLimits } from '../../../core/trading/index.js';
import { ordersOf } from '../../../core/testing/trading-fixtures.js';
import { ENGINES, freshPostgres, type TestDatabase } from '../../testing/databases.js';
import { STALE_OWNER } from '../../trading/trading-store.js';
import { SqlUserStore } from './sql-stores.js';
import { SqlTradingStore } from './sql-trading-store.js';

// The owner's fencing token (migration 0110): once a newer owner has claimed paper trading, the order and
// fill commits of an older one fail and write nothing, and a claim waits for a commit already holding the
// fence, so the new owner loads everything its predecessor committed.

const T = Date.parse('2024-03-12T14:30:00Z');

async function accountOn(test: TestDatabase, store: SqlTradingStore): Promise<string> {
  const userId = crypto.randomUUID();
  await new SqlUserStore(test.handle.db).insert({
    id: userId,
    email: `${userId}@example.com`,
    passwordHash: 'h',
    role: 'trader',
  });
  const record = await store.ensureAccount(userId, {
    kind: 'margin',
    startingCash: new Money('100000'),
    fillModel: fillModel(),
    riskLimits: riskLimits(),
  });
  return record.id;
}

function limitOrder(clientOrderId: string): Order {
  const [order] = ordersOf(
    {
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      timeInForce: 'day',
      qty: '1',
      limitPrice: '90',
      clientOrderId,
    },
    crypto.randomUUID(),
    T,
  );
  return order!;
}

function filledWith(clientOrderId: string): { order: Order; fill: Fill } {
  const order = { ...limitOrder(clientOrderId), status: 'filled' as const, filledQty: new Money(1) };
  const fill: Fill = {
    id: crypto.randomUUID(),
    orderId: order.id,
    symbol: 'AAPL',
    side: 'buy',
    qty: new Money(1),
    price: new Money('89.5'),
    t: T,
    referencePrice: new Money('89.5'),
    liquidity: 'maker',
    slippageBps: 0,
    latencyMs: 0,
    commission: new Money(0),
  };
  return { order, fill };
}

const noAudit = () => ({ audit: [], equity: null });

describe.each(ENGINES)('the paper owner fence on %s', (_engine, open) => {
  let test: TestDatabase;
  let store: SqlTradingStore;
  let accountId: string;

  beforeAll(async () => {
    test = await open();
    store = new SqlTradingStore(test.handle.db);
    accountId = await accountOn(test, store);
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('refuses the order and fill commits of an owner a newer claim replaced, and writes nothing', async () => {
    const first = await store.claimOwnership();
    const second = await store.claimOwnership();
    expect(second).toBe(first + 1);
    const stale = store.fencedBy(first);
    const current = store.fencedBy(second);

    const refused = limitOrder('fence-stale');
    await expect(stale.commitOrders(accountId, { insert: [refused], save: [], audit: [] })).rejects.toThrow(
      new RegExp(`^${STALE_OWNER}`),
    );
    expect(await store.orders(accountId).get(refused.id)).toBeNull();

    const { order, fill } = filledWith('fence-stale-fill');
    await expect(
      stale.commitFills(accountId, { insert: [order], save: [], fills: [{ fill, order }] }, noAudit),
    ).rejects.toThrow(new RegExp(`^${STALE_OWNER}`));
    expect(await store.orders(accountId).get(order.id)).toBeNull();
    expect(await store.positions(accountId)).toEqual([]);

    // The current owner's commits, and those of a store that is not fenced (one node alone), go through.
    const placed = limitOrder('fence-current');
    expect(await current.commitOrders(accountId, { insert: [placed], save: [], audit: [] })).toBe(
      'committed',
    );
    const filled = filledWith('fence-current-fill');
    expect(
      await current.commitFills(
        accountId,
        { insert: [filled.order], save: [], fills: [{ fill: filled.fill, order: filled.order }] },
        noAudit,
      ),
    ).toBe('committed');
    expect((await store.positions(accountId)).map((p) => p.qty.toString())).toEqual(['1']);
    const alone = limitOrder('fence-none');
    expect(await store.commitOrders(accountId, { insert: [alone], save: [], audit: [] })).toBe('committed');
  });
});

describe('the paper owner fence between two connections (PostgreSQL)', () => {
  let test: TestDatabase;
  let store: SqlTradingStore;

  beforeAll(async () => {
    test = await freshPostgres();
    store = new SqlTradingStore(test.handle.db);
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('makes a claim wait for a commit that holds the fence, and refuses one that waited for a claim', async () => {
    const token = await store.claimOwnership();
    const db = test.handle.db;
    // An owner's commit under way: it has passed the fence and holds it until it commits.
    let release: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let fenced: () => void = () => undefined;
    const passed = new Promise<void>((resolve) => (fenced = resolve));
    const commit = db.transaction().execute(async (trx) => {
      await sql`select pulse_paper_fence(${token}::bigint)`.execute(trx);
      fenced();
      await holding;
    });
    await passed;
    let claimed: number | undefined;
    const claim = store.claimOwnership().then((epoch) => (claimed = epoch));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(claimed).toBeUndefined();
    release();
    await commit;
    expect(await claim).toBe(token + 1);

    // A commit that asks for the fence while a claim is under way waits for it, then sees the new epoch.
    const next = token + 1;
    let finish: () => void = () => undefined;
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    let bumped: () => void = () => undefined;
    const bumping = new Promise<void>((resolve) => (bumped = resolve));
    const slowClaim = db.transaction().execute(async (trx) => {
      await sql`update paper_owner set epoch = epoch + 1 where id = 1`.execute(trx);
      bumped();
      await finishing;
    });
    await bumping;
    const late = sql`select pulse_paper_fence(${next}::bigint)`.execute(db);
    const outcome = late.then(
      () => 'passed',
      (error: unknown) => String((error as Error).message),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    finish();
    await slowClaim;
    expect(await outcome).toMatch(new RegExp(`^${STALE_OWNER}`));
  });
});
