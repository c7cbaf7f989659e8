import { describe, expect, it } from 'vitest';
import { ManualClock, Money } from '../../kernel/index.js';
import { at, quoteOf, tradeOf } from '../../testing/trading-fixtures.js';
import { InMemoryOrderStore } from '../in-memory-order-store.js';
import { PaperBroker } from '../paper-broker.js';

const T = at('2024-03-12', '10:00');

async function brokerOf(kind: 'cash' | 'margin') {
  const clock = new ManualClock(T);
  const broker = new PaperBroker({
    clock,
    orders: new InMemoryOrderStore(),
    account: { kind, cash: new Money(10_000) },
  });
  await broker.onQuote(quoteOf('TSLA', T, 200, 200.1));
  return { broker, clock };
}

describe('short selling', () => {
  it('refuses a sell without a long position in a cash account', async () => {
    const { broker } = await brokerOf('cash');
    await expect(
      broker.submitOrder({ symbol: 'TSLA', side: 'sell', type: 'market', timeInForce: 'day', qty: '5' }),
    ).rejects.toMatchObject({
      code: 'TRADING_SHORT_SELL_NOT_ALLOWED',
    });
  });

  it('opens a short at the bid in a margin account and realises P&L exactly when covered', async () => {
    const { broker, clock } = await brokerOf('margin');
    await broker.submitOrder({ symbol: 'TSLA', side: 'sell', type: 'market', timeInForce: 'day', qty: '5' });
    const [short] = await broker.listPositions();
    expect([short?.qty.toString(), short?.side, short?.avgEntryPrice.toString()]).toEqual([
      '-5',
      'short',
      '200',
    ]);
    clock.set(T + 60_000);
    await broker.onQuote(quoteOf('TSLA', T + 60_000, 190.2, 190.33));
    await broker.onTrade(tradeOf('TSLA', T + 60_000, 190.3));
    const mid = await broker.getAccount();
    expect([mid.unrealizedPl.toString(), mid.shortMarketValue.toString(), mid.equity.toString()]).toEqual([
      '48.5',
      '-951.5',
      '10048.5',
    ]);
    await broker.submitOrder({ symbol: 'TSLA', side: 'buy', type: 'market', timeInForce: 'day', qty: '5' });
    const end = await broker.getAccount();
    expect([end.realizedPl.toString(), end.cash.toString()]).toEqual(['48.35', '10048.35']);
    expect(await broker.listPositions()).toEqual([]);
  });

  it('refuses a fractional short even in a margin account', async () => {
    const { broker } = await brokerOf('margin');
    await expect(
      broker.submitOrder({ symbol: 'TSLA', side: 'sell', type: 'market', timeInForce: 'day', qty: '0.5' }),
    ).rejects.toMatchObject({
      code: 'TRADING_SHORT_SELL_NOT_ALLOWED',
    });
  });
});
