import { describe, expect, it } from 'vitest';
import { ManualClock } from '../kernel/index.js';
import { at, quoteOf, tradeOf } from '../testing/trading-fixtures.js';
import { InMemoryOrderStore } from './in-memory-order-store.js';
import type { Order } from './order.js';
import { PaperBroker } from './paper-broker.js';

const T = at('2024-03-12', '11:00');

/** A good-till-canceled buy limit for AAPL. */
const buyLimit = (limitPrice: string, qty = '1') =>
  ({ symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'gtc', qty, limitPrice }) as const;

/** An InMemoryOrderStore that counts its writes. */
class CountingStore extends InMemoryOrderStore {
  saves = 0;
  override async save(order: Order): Promise<void> {
    this.saves += 1;
    await super.save(order);
  }
}

async function brokerAt(
  t: number,
  fillModel: { partialFills?: 'displayed_size' | 'never' } = {},
  risk: { duplicateWindowMs?: number } = {},
) {
  const clock = new ManualClock(t);
  const orders = new CountingStore();
  const broker = new PaperBroker({ clock, orders, fillModel, risk });
  await broker.onQuote(quoteOf('AAPL', t, 99.9, 100));
  await broker.onTrade(tradeOf('AAPL', t, 100));
  return { clock, orders, broker };
}

describe('PaperBroker over a long session', () => {
  it('stores only the orders a market event changed, not every open order on every quote', async () => {
    const { clock, orders, broker } = await brokerAt(T);
    for (let i = 0; i < 100; i += 1) await broker.submitOrder(buyLimit(String(50 + i / 100)));
    const before = orders.saves;
    clock.set(T + 1_000);
    await broker.onQuote(quoteOf('AAPL', T + 1_000, 99.8, 99.9));
    expect(orders.saves - before).toBe(0);
    // A print through the best limit fills it: that order is stored, and no other.
    await broker.onQuote(quoteOf('AAPL', T + 2_000, 50.9, 50.99));
    await broker.onTrade(tradeOf('AAPL', T + 2_000, 50.98));
    const filled = (await broker.listOrders({ status: 'closed' })).map((o) => [
      o.limitPrice?.toString(),
      o.status,
    ]);
    expect(filled).toEqual([['50.99', 'filled']]);
    expect(orders.saves - before).toBe(1);
  });

  it('writes an order a market event changed once, even when it is still open after its update', async () => {
    const { clock, orders, broker } = await brokerAt(T, { partialFills: 'displayed_size' });
    const order = await broker.submitOrder(buyLimit('51', '300'));
    const before = orders.saves;
    clock.set(T + 1_000);
    await broker.onQuote(quoteOf('AAPL', T + 1_000, 50.9, 50.95, 100, 100));
    await broker.onTrade(tradeOf('AAPL', T + 1_000, 50.95, 100));
    const after = await broker.getOrder(order.id);
    expect([after?.status, after?.filledQty.toString()]).toEqual(['partially_filled', '100']);
    expect(orders.saves - before).toBe(1);
  });

  it("keeps closed orders in its store but not in the engine once they are older than the guards' window", async () => {
    const { clock, broker } = await brokerAt(T);
    const filled = await broker.submitOrder({
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      timeInForce: 'day',
      qty: '1',
    });
    const resting = await broker.submitOrder(buyLimit('90'));
    expect(broker.engine.allOrders()).toHaveLength(2);
    clock.set(T + 11 * 60_000);
    await broker.onQuote(quoteOf('AAPL', T + 11 * 60_000, 99.9, 100));
    expect(broker.engine.allOrders().map((o) => o.id)).toEqual([resting.id]);
    expect((await broker.getOrder(filled.id))?.status).toBe('filled');
    expect((await broker.listOrders({ status: 'all' })).map((o) => o.id).sort()).toEqual(
      [filled.id, resting.id].sort(),
    );
  });

  it('suppresses a duplicate within the window the limits set, and only then', async () => {
    const limit = buyLimit('90');
    const guarded = await brokerAt(T, {}, { duplicateWindowMs: 5_000 });
    const first = await guarded.broker.submitOrder(limit);
    await expect(guarded.broker.submitOrder(limit)).rejects.toMatchObject({
      code: 'TRADING_DUPLICATE_ORDER',
      details: { duplicateOf: first.id },
    });
    guarded.clock.set(T + 5_001);
    await expect(guarded.broker.submitOrder(limit)).resolves.toMatchObject({ status: 'new' });

    const open = await brokerAt(T);
    await open.broker.submitOrder(limit);
    await expect(open.broker.submitOrder(limit)).resolves.toMatchObject({ status: 'new' });
  });
});
