import { describe, expect, it } from 'vitest';
import { ManualClock } from '../kernel/index.js';
import { at, quoteOf } from '../testing/trading-fixtures.js';
import { InMemoryOrderStore } from './in-memory-order-store.js';
import type { NewOrderRequest } from './order-request.js';
import { PaperBroker } from './paper-broker.js';
import { placeOrder } from './place-order.js';

const T = at('2024-03-12', '10:00');
const request: NewOrderRequest = {
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  limitPrice: '99',
  timeInForce: 'day',
  qty: '3',
  clientOrderId: 'signal-42',
  orderClass: 'bracket',
  takeProfit: { limitPrice: '105' },
  stopLoss: { stopPrice: '95' },
};

describe('placeOrder', () => {
  it('returns the first order when a submit is retried with the same client_order_id, never a second', async () => {
    const orders = new InMemoryOrderStore();
    const broker = new PaperBroker({ clock: new ManualClock(T), orders });
    await broker.onQuote(quoteOf('AAPL', T, 100, 100.05));
    const first = await placeOrder(request, { broker, orders });
    const retry = await placeOrder({ ...request, qty: '3.0' }, { broker, orders });
    expect(retry.id).toBe(first.id);
    expect((await broker.listOrders({ status: 'all' })).filter((o) => o.parentId === null)).toHaveLength(1);
  });

  it('refuses the same client_order_id for a different order', async () => {
    const orders = new InMemoryOrderStore();
    const broker = new PaperBroker({ clock: new ManualClock(T), orders });
    await broker.onQuote(quoteOf('AAPL', T, 100, 100.05));
    await placeOrder(request, { broker, orders });
    await expect(placeOrder({ ...request, qty: '4' }, { broker, orders })).rejects.toMatchObject({
      code: 'TRADING_CLIENT_ORDER_ID_CONFLICT',
    });
  });
});
