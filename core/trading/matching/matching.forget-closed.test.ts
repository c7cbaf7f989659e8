import { describe, expect, it } from 'vitest';
import { at, ordersOf, quoteOf, tradeOf } from '../../testing/trading-fixtures.js';
import { MatchingEngine } from './matching-engine.js';

const T = at('2024-03-12', '11:00');

const MARKET_BUY = { symbol: 'AAPL', side: 'buy', type: 'market', timeInForce: 'day', qty: '1' } as const;
const buyLimit = (limitPrice: string) =>
  ({ symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'gtc', qty: '1', limitPrice }) as const;

/** Submits one order of `request` as `id` at `t`. */
function place(e: MatchingEngine, request: Parameters<typeof ordersOf>[0], id: string, t: number): void {
  e.submit(ordersOf(request, id, t), t);
}

function engineWithMarket(): MatchingEngine {
  const e = new MatchingEngine();
  e.onQuote(quoteOf('AAPL', T, 99.9, 100));
  e.onTrade(tradeOf('AAPL', T, 100));
  return e;
}

describe('MatchingEngine.forgetClosedBefore', () => {
  it('forgets orders that closed before the time given, keeps open ones and later closes', () => {
    const e = engineWithMarket();
    place(e, MARKET_BUY, 'm1', T);
    place(e, buyLimit('90'), 'rest', T);
    place(e, buyLimit('91'), 'c1', T);
    e.cancel('c1', T + 5_000);
    expect([e.get('m1')?.status, e.get('c1')?.status]).toEqual(['filled', 'canceled']);

    expect(e.forgetClosedBefore(T)).toBe(0);
    expect(e.forgetClosedBefore(T + 1)).toBe(1);
    expect([e.get('m1'), e.get('c1')?.status, e.get('rest')?.status]).toEqual([undefined, 'canceled', 'new']);
    expect(e.forgetClosedBefore(T + 5_001)).toBe(1);
    expect(e.allOrders().map((o) => o.id)).toEqual(['rest']);
    // The open order still works: a print through its limit fills it, and it can be forgotten in turn.
    e.onQuote(quoteOf('AAPL', T + 6_000, 88.9, 89));
    e.onTrade(tradeOf('AAPL', T + 6_000, 89));
    expect(e.get('rest')?.status).toBe('filled');
    expect(e.forgetClosedBefore(T + 6_001)).toBe(1);
    expect(e.allOrders()).toEqual([]);
  });

  it('keeps a filled bracket entry while its legs work, and forgets the group once every member closed', () => {
    const e = engineWithMarket();
    const [entry, tp, sl] = ordersOf(
      {
        symbol: 'AAPL',
        side: 'buy',
        type: 'market',
        timeInForce: 'gtc',
        qty: '10',
        orderClass: 'bracket',
        takeProfit: { limitPrice: '103' },
        stopLoss: { stopPrice: '98' },
      },
      'b',
      T,
    );
    e.submit([entry!, tp!, sl!], T);
    expect([e.get('b')?.status, e.get('b-leg1')?.status, e.get('b-leg2')?.status]).toEqual([
      'filled',
      'new',
      'held',
    ]);
    expect(e.forgetClosedBefore(T + 60_000)).toBe(0);
    expect(e.get('b')?.legs).toEqual(['b-leg1', 'b-leg2']);

    // The take-profit fills; its sibling stop is canceled: the whole group has closed.
    e.onQuote(quoteOf('AAPL', T + 70_000, 103.1, 103.2));
    e.onTrade(tradeOf('AAPL', T + 70_000, 103.2));
    expect([e.get('b-leg1')?.status, e.get('b-leg2')?.status]).toEqual(['filled', 'canceled']);
    // The entry closed long ago and may go now; the legs closed at T + 70 s.
    expect(e.forgetClosedBefore(T + 70_000)).toBe(1);
    expect([e.get('b'), e.get('b-leg1')?.status]).toEqual([undefined, 'filled']);
    expect(e.forgetClosedBefore(T + 70_001)).toBe(2);
    expect(e.allOrders()).toEqual([]);
  });

  it('forgets nothing twice and stays cheap when nothing is due', () => {
    const e = engineWithMarket();
    for (let i = 0; i < 3_000; i += 1) place(e, MARKET_BUY, `m${i}`, T + i);
    expect(e.forgetClosedBefore(T + 1_500)).toBe(1_500);
    expect(e.forgetClosedBefore(T + 1_500)).toBe(0);
    expect(e.forgetClosedBefore(T + 3_000)).toBe(1_500);
    expect(e.allOrders()).toEqual([]);
    expect(e.get('m2999')).toBeUndefined();
  });
});
