import { describe, expect, it } from 'vitest';
import { at, ordersOf, quoteOf, tradeOf } from '../../testing/trading-fixtures.js';
import { MatchingEngine } from './matching-engine.js';

const T = at('2024-03-12', '11:00');
const buyLimit = (id: string) =>
  ordersOf(
    { symbol: 'MSFT', side: 'buy', type: 'limit', timeInForce: 'day', qty: '10', limitPrice: '400' },
    id,
    T,
  );

describe('MatchingEngine limit orders', () => {
  it('does not fill a resting buy limit when a trade only touches its price', () => {
    const e = new MatchingEngine();
    e.onQuote(quoteOf('MSFT', T, 400.5, 400.6));
    e.submit(buyLimit('a'), T);
    const out = e.onTrade(tradeOf('MSFT', T + 1, 400));
    expect(out.fills).toEqual([]);
    expect(e.get('a')?.status).toBe('new');
  });

  it('fills a resting buy limit at its limit when a trade prints strictly below it', () => {
    const e = new MatchingEngine();
    e.onQuote(quoteOf('MSFT', T, 400.5, 400.6));
    e.submit(buyLimit('a'), T);
    const out = e.onTrade(tradeOf('MSFT', T + 1, 399.99));
    expect(out.fills.map((f) => [f.price.toString(), f.qty.toString(), f.liquidity])).toEqual([
      ['400', '10', 'maker'],
    ]);
    expect(e.get('a')?.status).toBe('filled');
  });

  it('fills at touch when touchFills is on', () => {
    const e = new MatchingEngine({ fillModel: { touchFills: true } });
    e.onQuote(quoteOf('MSFT', T, 400.5, 400.6));
    e.submit(buyLimit('a'), T);
    expect(e.onTrade(tradeOf('MSFT', T + 1, 400)).fills[0]?.price.toString()).toBe('400');
  });

  it('takes the ask, not the limit, when the limit is marketable on arrival', () => {
    const e = new MatchingEngine();
    e.onQuote(quoteOf('MSFT', T, 399.8, 399.9));
    const out = e.submit(buyLimit('a'), T);
    expect(out.fills[0]?.price.toString()).toBe('399.9');
    expect(out.fills[0]?.liquidity).toBe('taker');
  });

  it('caps a trade-through fill at the trade size with displayed-size partial fills', () => {
    const e = new MatchingEngine({ fillModel: { partialFills: 'displayed_size' } });
    e.onQuote(quoteOf('MSFT', T, 400.5, 400.6));
    e.submit(buyLimit('a'), T);
    const out = e.onTrade(tradeOf('MSFT', T + 1, 399.5, 4));
    expect(out.updates.map((u) => u.event)).toEqual(['partial_fill']);
    expect(e.get('a')?.filledQty.toString()).toBe('4');
  });
});
