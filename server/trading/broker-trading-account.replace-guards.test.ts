import { describe, expect, it } from 'vitest';
import { at, quoteOf } from '../../core/testing/trading-fixtures.js';
import { DomainError, ManualClock, Money } from '../../core/kernel/index.js';
import { type Broker, InMemoryOrderStore, PaperBroker, riskLimits } from '../../core/trading/index.js';
import { BrokerTradingAccount } from './broker-trading-account.js';

const T = at('2024-03-12', '10:00');

/** A cash account holding 4 TSLA, behind the account's guards; `refusals` counts the keys refused. */
async function holdingFour(limits = riskLimits()) {
  const clock = new ManualClock(T);
  const broker = new PaperBroker({
    clock,
    orders: new InMemoryOrderStore(),
    account: { kind: 'cash', cash: new Money(10_000) },
  });
  await broker.onQuote(quoteOf('TSLA', T, 200, 200.1));
  await broker.submitOrder({ symbol: 'TSLA', side: 'buy', type: 'market', timeInForce: 'day', qty: '4' });
  const account = new BrokerTradingAccount({
    connection: { broker, now: () => clock.now(), start: async () => undefined, stop: () => undefined },
    live: false,
    keyIdLast4: 'TEST',
    limits: async () => limits,
    referencePrice: () => new Money(200),
    log: () => undefined,
  });
  return { broker, account };
}

const sellAll = {
  symbol: 'TSLA',
  side: 'sell',
  type: 'limit',
  timeInForce: 'gtc',
  qty: '4',
  limitPrice: '250',
} as const;

describe('BrokerTradingAccount.replaceOrder', () => {
  it('judges the replacement without the order it replaces (its pending sell is not counted twice)', async () => {
    const { account } = await holdingFour();
    const working = await account.placeOrder(sellAll);
    // A second sell of the same shares would open a short in a cash account…
    await expect(account.placeOrder({ ...sellAll, limitPrice: '240' })).rejects.toMatchObject({
      code: 'TRADING_SHORT_SELL_NOT_ALLOWED',
    });
    // …but repricing the one that holds them does not.
    const replaced = await account.replaceOrder(working.id, { limitPrice: '240' });
    expect([replaced.replaces, replaced.limitPrice?.toString(), replaced.qty?.toString()]).toEqual([
      working.id,
      '240',
      '4',
    ]);
    // Raising it past what is held is a short sale, refused with the code a new order gets.
    await expect(account.replaceOrder(replaced.id, { qty: '5' })).rejects.toMatchObject({
      code: 'TRADING_SHORT_SELL_NOT_ALLOWED',
    });
  });

  it('refuses a replacement past the max position, the deny list or the notional with their codes', async () => {
    const limits = { ...riskLimits({ maxPositionQty: new Money(10), maxOrderNotional: new Money(1_500) }) };
    const { account, broker } = await holdingFour(limits);
    const buy = await account.placeOrder({ ...sellAll, side: 'buy', qty: '5', limitPrice: '150' });
    await expect(account.replaceOrder(buy.id, { qty: '7' })).rejects.toMatchObject({
      code: 'TRADING_MAX_POSITION_EXCEEDED',
      message: 'position of 11 shares would exceed the limit of 10 shares',
    });
    await expect(account.replaceOrder(buy.id, { limitPrice: '301' })).rejects.toMatchObject({
      code: 'TRADING_MAX_NOTIONAL_EXCEEDED',
    });
    const denied = await holdingFour(riskLimits({ denySymbols: ['TSLA'] }));
    const order = await denied.broker.submitOrder({ ...sellAll, qty: '1' });
    await expect(denied.account.replaceOrder(order.id, { qty: '2' })).rejects.toMatchObject({
      code: 'TRADING_SYMBOL_NOT_ALLOWED',
    });
    // Nothing was replaced at the broker.
    expect((await broker.getOrder(buy.id))?.status).toBe('new');
    await expect(account.replaceOrder('no-such-order', { qty: '1' })).rejects.toMatchObject({
      code: 'TRADING_ORDER_NOT_FOUND',
    });
  });
});

describe('BrokerTradingAccount when the broker refuses the keys', () => {
  function refusing(error: unknown) {
    const calls: string[] = [];
    let refused = 0;
    const fail = async () => {
      calls.push('call');
      throw error;
    };
    const broker = {
      listPositions: fail,
      getAccount: fail,
      cancelOrder: fail,
      onTradeUpdate: () => () => undefined,
    } as Partial<Broker> as Broker;
    const account = new BrokerTradingAccount({
      connection: { broker, now: () => T, start: async () => undefined, stop: () => undefined },
      live: false,
      keyIdLast4: 'TEST',
      limits: async () => riskLimits(),
      referencePrice: () => null,
      log: () => undefined,
      unauthorized: () => {
        refused += 1;
      },
    });
    return { account, refused: () => refused };
  }

  it('reports a 401 or 403 on a read to its owner and answers 502 naming the keys', async () => {
    for (const status of [401, 403]) {
      const { account, refused } = refusing(Object.assign(new Error('forbidden'), { status }));
      await expect(account.positions()).rejects.toMatchObject({
        code: 'TRADING_BROKER_UNAVAILABLE',
        message: expect.stringContaining('Alpaca refused the saved keys'),
      });
      expect(refused()).toBe(1);
    }
  });

  it('tells a bare 403 "forbidden" on an order call from a refusal that names its rule', async () => {
    const keys = refusing(
      new DomainError('TRADING_INSUFFICIENT_BUYING_POWER', 'forbidden.', { status: 403 }),
    );
    await expect(keys.account.cancelOrder('x')).rejects.toMatchObject({ code: 'TRADING_BROKER_UNAVAILABLE' });
    expect(keys.refused()).toBe(1);
    const rule = refusing(
      new DomainError('TRADING_INSUFFICIENT_BUYING_POWER', 'insufficient buying power', { status: 403 }),
    );
    await expect(rule.account.cancelOrder('x')).rejects.toMatchObject({
      code: 'TRADING_INSUFFICIENT_BUYING_POWER',
    });
    expect(rule.refused()).toBe(0);
  });
});
