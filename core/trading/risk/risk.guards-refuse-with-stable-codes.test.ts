import { describe, expect, it } from 'vitest';
import { ManualClock, Money } from '../../kernel/index.js';
import { at, quoteOf, tradeOf } from '../../testing/trading-fixtures.js';
import { InMemoryOrderStore } from '../in-memory-order-store.js';
import type { NewOrderRequest } from '../order-request.js';
import { PaperBroker } from '../paper-broker.js';
import type { RiskLimits } from './risk-limits.js';

const T = at('2024-03-12', '10:00');
const buy = (qty = '10', extra: Partial<NewOrderRequest> = {}): NewOrderRequest => ({
  symbol: 'AAPL',
  side: 'buy',
  type: 'market',
  timeInForce: 'day',
  qty,
  ...extra,
});

async function brokerWith(risk: Partial<RiskLimits>, cash = 100_000, now = T) {
  const clock = new ManualClock(now);
  const broker = new PaperBroker({
    clock,
    orders: new InMemoryOrderStore(),
    risk,
    account: { kind: 'cash', cash: new Money(cash) },
  });
  await broker.onQuote(quoteOf('AAPL', now, 100, 100.05));
  return { broker, clock };
}

describe('risk guards', () => {
  it('refuses every order while the kill switch is on and cancels the open ones when it is turned on', async () => {
    const { broker } = await brokerWith({});
    const resting = await broker.submitOrder(buy('1', { type: 'limit', limitPrice: '90' }));
    const canceled = await broker.setRiskLimits({ killSwitch: true });
    expect(canceled).toEqual([{ id: resting.id, status: 200 }]);
    expect((await broker.getOrder(resting.id))?.status).toBe('canceled');
    await expect(broker.submitOrder(buy())).rejects.toMatchObject({ code: 'TRADING_KILL_SWITCH_ACTIVE' });
  });

  it('names the limit and the value when an order is over the maximum notional', async () => {
    const { broker } = await brokerWith({ maxOrderNotional: new Money(1000) });
    await expect(broker.submitOrder(buy('10'))).rejects.toMatchObject({
      code: 'TRADING_MAX_NOTIONAL_EXCEEDED',
      message: 'order notional $1000.50 exceeds the limit of $1000.00',
    });
  });

  it('refuses a position above the maximum shares but lets the position be reduced', async () => {
    const { broker } = await brokerWith({ maxPositionQty: new Money(15) });
    await broker.submitOrder(buy('10'));
    await expect(broker.submitOrder(buy('6'))).rejects.toMatchObject({
      code: 'TRADING_MAX_POSITION_EXCEEDED',
    });
    await expect(broker.submitOrder(buy('3', { side: 'sell' }))).resolves.toMatchObject({ status: 'filled' });
  });

  it('refuses symbols outside the allow list or on the deny list', async () => {
    const { broker } = await brokerWith({ allowSymbols: ['MSFT'] });
    await expect(broker.submitOrder(buy())).rejects.toMatchObject({ code: 'TRADING_SYMBOL_NOT_ALLOWED' });
    const denied = await brokerWith({ denySymbols: ['AAPL'] });
    await expect(denied.broker.submitOrder(buy())).rejects.toMatchObject({
      code: 'TRADING_SYMBOL_NOT_ALLOWED',
    });
  });

  it('suppresses an identical order within the duplicate window and allows it after', async () => {
    const { broker, clock } = await brokerWith({ duplicateWindowMs: 5000 });
    await broker.submitOrder(buy('1', { type: 'limit', limitPrice: '90' }));
    await expect(broker.submitOrder(buy('1', { type: 'limit', limitPrice: '90' }))).rejects.toMatchObject({
      code: 'TRADING_DUPLICATE_ORDER',
    });
    clock.set(T + 5001);
    await expect(broker.submitOrder(buy('1', { type: 'limit', limitPrice: '90' }))).resolves.toMatchObject({
      status: 'new',
    });
  });

  it('refuses orders outside hours when configured to, and queues them otherwise', async () => {
    const night = at('2024-03-12', '21:00');
    const refusing = await brokerWith({ outsideHours: 'refuse' }, 100_000, night);
    await expect(refusing.broker.submitOrder(buy())).rejects.toMatchObject({ code: 'TRADING_MARKET_CLOSED' });
    const queueing = await brokerWith({}, 100_000, night);
    await expect(queueing.broker.submitOrder(buy())).resolves.toMatchObject({ status: 'accepted' });
  });

  it('refuses a buy beyond buying power, counting what open orders already hold', async () => {
    const { broker } = await brokerWith({}, 2000);
    await broker.submitOrder(buy('10', { type: 'limit', limitPrice: '95' }));
    await expect(broker.submitOrder(buy('11'))).rejects.toMatchObject({
      code: 'TRADING_INSUFFICIENT_BUYING_POWER',
      message: 'insufficient buying power: the order needs $1100.55, $1050.00 is available',
    });
  });

  it('stops adding exposure once the day has lost the daily loss limit', async () => {
    const { broker, clock } = await brokerWith({ dailyLossLimit: new Money(50) });
    await broker.submitOrder(buy('10'));
    clock.set(T + 60_000);
    await broker.onQuote(quoteOf('AAPL', T + 60_000, 94.9, 95));
    await broker.onTrade(tradeOf('AAPL', T + 60_000, 95));
    await expect(broker.submitOrder(buy('1'))).rejects.toMatchObject({ code: 'TRADING_DAILY_LOSS_LIMIT' });
    await expect(broker.submitOrder(buy('10', { side: 'sell' }))).resolves.toMatchObject({
      status: 'filled',
    });
  });
});
