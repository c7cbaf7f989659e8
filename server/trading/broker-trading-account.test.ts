import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/kernel/index.js';
import { type Broker, riskLimits } from '../../core/trading/index.js';
import { BrokerTradingAccount } from './broker-trading-account.js';

/** Tuesday 2024-03-12 10:30 ET: the market is open. */
const IN_SESSION = Date.parse('2024-03-12T14:30:00Z');

/** A broker whose every call fails with `error`, counting the calls. */
function failingBroker(error: unknown): { broker: Broker; calls: string[] } {
  const calls: string[] = [];
  const fail = (name: string) => async () => {
    calls.push(name);
    throw error;
  };
  const broker: Broker = {
    submitOrder: fail('submitOrder'),
    getOrder: fail('getOrder'),
    getOrderByClientId: fail('getOrderByClientId'),
    listOrders: fail('listOrders'),
    replaceOrder: fail('replaceOrder'),
    cancelOrder: fail('cancelOrder'),
    cancelAll: fail('cancelAll'),
    getAccount: fail('getAccount'),
    listPositions: fail('listPositions'),
    closePosition: fail('closePosition'),
    onTradeUpdate: () => () => undefined,
  };
  return { broker, calls };
}

function account(broker: Broker, killSwitch = false): BrokerTradingAccount {
  return new BrokerTradingAccount({
    connection: { broker, now: () => IN_SESSION, start: async () => undefined, stop: () => undefined },
    live: true,
    keyIdLast4: 'WXYZ',
    limits: async () => riskLimits({ killSwitch }),
    referencePrice: () => null,
    log: () => undefined,
  });
}

const limitBuy = {
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  timeInForce: 'day',
  qty: '1',
  limitPrice: '10',
} as const;

describe('BrokerTradingAccount', () => {
  it('answers 502 TRADING_BROKER_UNAVAILABLE when the broker fails without a refusal', async () => {
    const { broker } = failingBroker(new Error('connect ECONNREFUSED'));
    await expect(account(broker).positions()).rejects.toMatchObject({ code: 'TRADING_BROKER_UNAVAILABLE' });
    await expect(account(broker).getOrder('x')).rejects.toMatchObject({ code: 'TRADING_BROKER_UNAVAILABLE' });
  });

  it("passes the broker's refusals through with their own codes", async () => {
    const { broker } = failingBroker(new DomainError('TRADING_ORDER_NOT_CANCELABLE', 'already filled'));
    await expect(account(broker).cancelOrder('x')).rejects.toMatchObject({
      code: 'TRADING_ORDER_NOT_CANCELABLE',
    });
  });

  it('refuses new orders and replacements under the kill switch without calling the broker', async () => {
    const { broker, calls } = failingBroker(new Error('must not be called'));
    const a = account(broker, true);
    await expect(a.placeOrder(limitBuy)).rejects.toMatchObject({ code: 'TRADING_KILL_SWITCH_ACTIVE' });
    await expect(a.replaceOrder('x', { limitPrice: '11' })).rejects.toMatchObject({
      code: 'TRADING_KILL_SWITCH_ACTIVE',
    });
    expect(calls).toEqual([]);
  });

  it('refuses an invalid order before calling the broker', async () => {
    const { broker, calls } = failingBroker(new Error('must not be called'));
    await expect(account(broker).placeOrder({ ...limitBuy, limitPrice: null })).rejects.toMatchObject({
      code: 'TRADING_LIMIT_PRICE_REQUIRED',
    });
    expect(calls).toEqual([]);
  });

  it('reports its broker and scope, and has no paper-only feeds (activities, history)', async () => {
    const { broker } = failingBroker(new Error('down'));
    const a = account(broker);
    expect([a.broker, a.live]).toEqual(['alpaca', true]);
    await expect(a.fills({ direction: 'desc', limit: 10 })).rejects.toMatchObject({
      code: 'TRADING_BROKER_UNSUPPORTED',
    });
    await expect(a.portfolioHistory({ period: '1D' })).rejects.toMatchObject({
      code: 'TRADING_BROKER_UNSUPPORTED',
    });
  });
});
