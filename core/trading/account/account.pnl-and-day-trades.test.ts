import { describe, expect, it } from 'vitest';
import { Money } from '../../kernel/index.js';
import { at } from '../../testing/trading-fixtures.js';
import type { Fill } from '../matching/fill.js';
import { AccountLedger } from './account-ledger.js';

let n = 0;
const fill = (side: 'buy' | 'sell', qty: string, price: string, t: number, commission = '0'): Fill => ({
  id: `x${++n}`,
  orderId: `o${n}`,
  symbol: 'AMD',
  side,
  qty: new Money(qty),
  price: new Money(price),
  t,
  referencePrice: new Money(price),
  liquidity: 'taker',
  slippageBps: 0,
  latencyMs: 0,
  commission: new Money(commission),
});

describe('AccountLedger', () => {
  it('averages entries, realises on the sale and values the rest exactly', () => {
    const ledger = new AccountLedger('cash', new Money(10_000));
    const t = at('2024-03-12', '10:00');
    ledger.apply(fill('buy', '10', '100.10', t, '1'));
    ledger.apply(fill('buy', '5', '100.25', t));
    ledger.apply(fill('sell', '6', '101', t + 1, '1'));
    expect(ledger.position('AMD').avgEntryPrice.toString()).toBe('100.15');
    const snap = ledger.snapshot(t + 2, () => new Money('99.9'));
    expect([
      snap.realizedPl.toString(),
      snap.unrealizedPl.toString(),
      snap.cash.toString(),
      snap.fees.toString(),
    ]).toEqual(['5.1', '-2.25', '9101.75', '2']);
    expect(snap.equity.toString()).toBe('10000.85');
    expect(snap.buyingPower.toString()).toBe('9101.75');
  });

  it('gives a margin account 2× equity less what it holds as buying power', () => {
    const ledger = new AccountLedger('margin', new Money(10_000));
    ledger.apply(fill('buy', '10', '100', at('2024-03-12', '10:00')));
    expect(ledger.snapshot(at('2024-03-12', '10:01'), () => new Money(100)).buyingPower.toString()).toBe(
      '19000',
    );
  });

  it('flags a pattern day trader after 4 day trades within 5 trading days and restricts it below $25,000', () => {
    const ledger = new AccountLedger('margin', new Money(20_000));
    for (const date of ['2024-03-07', '2024-03-08', '2024-03-11', '2024-03-12']) {
      ledger.apply(fill('buy', '1', '10', at(date, '10:00')));
      ledger.apply(fill('sell', '1', '10', at(date, '11:00')));
    }
    const snap = ledger.snapshot(at('2024-03-12', '12:00'), () => null);
    expect([snap.daytradeCount, snap.patternDayTrader, snap.pdtRestricted]).toEqual([4, true, true]);
    // 2024-03-07 drops out of the window five trading days later.
    expect(ledger.snapshot(at('2024-03-14', '12:00'), () => null).daytradeCount).toBe(3);
  });

  it('counts buy-buy-sell as one day trade and buy-sell-buy-sell as two', () => {
    const ledger = new AccountLedger('margin', new Money(50_000));
    const t = at('2024-03-12', '10:00');
    ledger.apply(fill('buy', '1', '10', t));
    ledger.apply(fill('buy', '1', '10', t + 1));
    ledger.apply(fill('sell', '2', '10', t + 2));
    ledger.apply(fill('buy', '1', '10', t + 3));
    ledger.apply(fill('sell', '1', '10', t + 4));
    expect(ledger.snapshot(t + 5, () => null).daytradeCount).toBe(2);
  });
});
