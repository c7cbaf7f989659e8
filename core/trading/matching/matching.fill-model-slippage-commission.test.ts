import { describe, expect, it } from 'vitest';
import { Money } from '../../kernel/index.js';
import { at, ordersOf, quoteOf } from '../../testing/trading-fixtures.js';
import { MatchingEngine } from './matching-engine.js';

const T = at('2024-03-12', '11:00');

describe('MatchingEngine fill model', () => {
  it('fills a market buy against displayed size in parts, with slippage and commission recorded on each fill', () => {
    const e = new MatchingEngine({
      fillModel: {
        partialFills: 'displayed_size',
        slippageBps: 10,
        commission: { perShare: new Money('0.005'), perOrder: new Money(0), minimum: new Money(1) },
      },
    });
    e.onQuote(quoteOf('IBM', T, 99.9, 100, 100, 100));
    const first = e.submit(
      ordersOf({ symbol: 'IBM', side: 'buy', type: 'market', timeInForce: 'day', qty: '300' }, 'm', T),
      T,
    );
    expect(
      first.fills.map((f) => [
        f.qty.toString(),
        f.price.toString(),
        f.referencePrice.toString(),
        f.commission.toString(),
        f.slippageBps,
      ]),
    ).toEqual([['100', '100.1', '100', '1', 10]]);
    const second = e.onQuote(quoteOf('IBM', T + 1000, 100, 100.2, 100, 500));
    expect(second.fills.map((f) => [f.qty.toString(), f.price.toString(), f.commission.toString()])).toEqual([
      ['200', '100.3002', '0.5'],
    ]);
    const order = e.get('m');
    expect(order?.status).toBe('filled');
    expect(order?.commission.toString()).toBe('1.5');
    // (100 × 100.1 + 200 × 100.3002) / 300
    expect(order?.filledAvgPrice?.toString()).toBe('100.2334666666666666666666666666666666667');
  });

  it('sells at the bid minus slippage, never better than the quote', () => {
    const e = new MatchingEngine({ fillModel: { slippageBps: 5 } });
    e.onQuote(quoteOf('IBM', T, 50, 50.02));
    const out = e.submit(
      ordersOf({ symbol: 'IBM', side: 'sell', type: 'market', timeInForce: 'day', qty: '1' }, 's', T),
      T,
    );
    expect(out.fills[0]?.price.toString()).toBe('49.975');
  });

  it('waits out the latency and fills against the first quote after it', () => {
    const e = new MatchingEngine({ fillModel: { latencyMs: 250 } });
    e.onQuote(quoteOf('IBM', T, 99.9, 100));
    expect(
      e.submit(
        ordersOf({ symbol: 'IBM', side: 'buy', type: 'market', timeInForce: 'day', qty: '1' }, 'l', T),
        T,
      ).fills,
    ).toEqual([]);
    expect(e.onQuote(quoteOf('IBM', T + 100, 100, 100.1)).fills).toEqual([]);
    const out = e.onQuote(quoteOf('IBM', T + 300, 100.1, 100.2));
    expect(out.fills.map((f) => [f.price.toString(), f.latencyMs])).toEqual([['100.2', 300]]);
  });

  it('buys a notional amount as fractional shares rounded down to 9 decimals', () => {
    const e = new MatchingEngine();
    e.onQuote(quoteOf('IBM', T, 299.9, 300));
    const out = e.submit(
      ordersOf({ symbol: 'IBM', side: 'buy', type: 'market', timeInForce: 'day', notional: '100' }, 'n', T),
      T,
    );
    expect(out.fills[0]?.qty.toString()).toBe('0.333333333');
    expect(e.get('n')?.status).toBe('filled');
  });
});
