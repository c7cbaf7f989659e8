import { describe, expect, it } from 'vitest';
import { ManualClock } from '../kernel/index.js';
import { at, quoteOf, tradeOf } from '../testing/trading-fixtures.js';
import type { TradeUpdate } from './broker.js';
import { InMemoryOrderStore } from './in-memory-order-store.js';
import { PaperBroker } from './paper-broker.js';

const T = at('2024-03-12', '10:00');

async function setup() {
  const clock = new ManualClock(T);
  const broker = new PaperBroker({ clock, orders: new InMemoryOrderStore() });
  const updates: TradeUpdate[] = [];
  broker.onTradeUpdate((u) => updates.push(u));
  await broker.onQuote(quoteOf('AAPL', T, 100, 100.05));
  return { broker, updates };
}

describe('PaperBroker advanced order classes', () => {
  it('triggers a bracket stop-loss on a trade, cancels the take-profit and sells at the bid', async () => {
    const { broker, updates } = await setup();
    const entry = await broker.submitOrder({
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      timeInForce: 'gtc',
      qty: '10',
      orderClass: 'bracket',
      takeProfit: { limitPrice: '103' },
      stopLoss: { stopPrice: '98', limitPrice: '97' },
    });
    const [tp, sl] = entry.legs;
    await broker.onQuote(quoteOf('AAPL', T + 1, 97.8, 97.9));
    await broker.onTrade(tradeOf('AAPL', T + 1, 97.95));
    expect((await broker.getOrder(tp ?? ''))?.status).toBe('canceled');
    const stop = await broker.getOrder(sl ?? '');
    expect([stop?.type, stop?.status, stop?.filledAvgPrice?.toString()]).toEqual([
      'stop_limit',
      'filled',
      '97.8',
    ]);
    expect(updates.filter((u) => u.order.id === sl).map((u) => [u.event, u.positionQty?.toString()])).toEqual(
      [
        ['new', undefined],
        ['fill', '0'],
      ],
    );
    expect((await broker.getAccount()).realizedPl.toString()).toBe('-22.5');
  });

  it('activates an OCO pair at once and cancels the stop when the take-profit fills', async () => {
    const { broker } = await setup();
    await broker.submitOrder({ symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', qty: '5' });
    const tp = await broker.submitOrder({
      symbol: 'AAPL',
      side: 'sell',
      type: 'limit',
      timeInForce: 'gtc',
      qty: '5',
      orderClass: 'oco',
      takeProfit: { limitPrice: '101' },
      stopLoss: { stopPrice: '99' },
    });
    expect([tp.status, tp.limitPrice?.toString()]).toEqual(['new', '101']);
    await broker.onTrade(tradeOf('AAPL', T + 1, 101.2));
    expect((await broker.getOrder(tp.id))?.status).toBe('filled');
    expect((await broker.getOrder(tp.legs[0] ?? ''))?.status).toBe('canceled');
  });

  it('arms an OTO stop-loss only once its entry has filled', async () => {
    const { broker } = await setup();
    const entry = await broker.submitOrder({
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      limitPrice: '99',
      timeInForce: 'day',
      qty: '2',
      orderClass: 'oto',
      stopLoss: { stopPrice: '95' },
    });
    const sl = entry.legs[0] ?? '';
    await broker.onTrade(tradeOf('AAPL', T + 1, 94));
    expect([(await broker.getOrder(entry.id))?.status, (await broker.getOrder(sl))?.status]).toEqual([
      'filled',
      'held',
    ]);
    await broker.onQuote(quoteOf('AAPL', T + 2, 93.5, 93.6));
    await broker.onTrade(tradeOf('AAPL', T + 2, 93.55));
    expect((await broker.getOrder(sl))?.filledAvgPrice?.toString()).toBe('93.5');
  });

  it('cancels the whole bracket when its unfilled entry is canceled', async () => {
    const { broker } = await setup();
    const entry = await broker.submitOrder({
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      limitPrice: '99',
      timeInForce: 'day',
      qty: '2',
      orderClass: 'bracket',
      takeProfit: { limitPrice: '105' },
      stopLoss: { stopPrice: '95' },
    });
    await broker.cancelOrder(entry.id);
    const statuses = await Promise.all(
      [entry.id, ...entry.legs].map(async (id) => (await broker.getOrder(id))?.status),
    );
    expect(statuses).toEqual(['canceled', 'canceled', 'canceled']);
  });
});
