import { describe, expect, it } from 'vitest';
import { Money } from '../../kernel/index.js';
import { at, ordersOf, quoteOf, tradeOf } from '../../testing/trading-fixtures.js';
import { reservedBuyingPower } from '../risk/check-order.js';
import { MatchingEngine } from './matching-engine.js';

const T = at('2024-03-12', '11:00');
const CLOSE = at('2024-03-12', '16:00');

/** The engine indexes open orders by symbol and skips housekeeping when nothing is due (bench/trading). */
describe('MatchingEngine with a large book', () => {
  function restingBook(e: MatchingEngine, n: number) {
    for (let i = 0; i < n; i += 1)
      e.submit(
        ordersOf(
          {
            symbol: i % 2 === 0 ? 'AAPL' : 'MSFT',
            side: 'buy',
            type: 'limit',
            timeInForce: i % 3 === 0 ? 'gtc' : 'day',
            qty: '1',
            limitPrice: String(90 - (i % 10)),
          },
          `o${i}`,
          T,
        ),
        T,
      );
  }

  it('works only the symbol of a market event, and still expires every day order at the close', () => {
    const e = new MatchingEngine();
    e.onQuote(quoteOf('AAPL', T, 99.9, 100));
    e.onQuote(quoteOf('MSFT', T, 99.9, 100));
    restingBook(e, 60);
    expect(e.openOrders('AAPL')).toHaveLength(30);
    expect(e.openOrders('MSFT').every((o) => o.symbol === 'MSFT')).toBe(true);
    // A trade through the limits of AAPL fills AAPL's orders only.
    const out = e.onTrade(tradeOf('AAPL', T + 1_000, 85.5));
    expect(new Set(out.fills.map((f) => f.symbol))).toEqual(new Set(['AAPL']));
    expect(out.fills.map((f) => f.orderId).sort()).toEqual(
      e
        .allOrders()
        .filter((o) => o.symbol === 'AAPL' && o.limitPrice?.gt(85.5))
        .map((o) => o.id)
        .sort(),
    );
    // Nothing due before the close: a quote changes no order. At the close every open day order expires.
    expect(e.onQuote(quoteOf('MSFT', CLOSE - 1, 99.9, 100)).updates).toEqual([]);
    const expired = e.onQuote(quoteOf('MSFT', CLOSE, 99.9, 100)).updates;
    expect(expired.every((u) => u.event === 'expired' && u.order.timeInForce === 'day')).toBe(true);
    expect(expired.map((u) => u.order.id).sort()).toEqual(
      e
        .allOrders()
        .filter((o) => o.status === 'expired')
        .map((o) => o.id)
        .sort(),
    );
    expect(e.openOrders().every((o) => o.timeInForce === 'gtc')).toBe(true);
    expect(e.openOrders().length).toBeGreaterThan(0);
  });

  it('keeps a trailing stop the same object while a trade does not move it', () => {
    const e = new MatchingEngine();
    e.onTrade(tradeOf('NVDA', T, 100));
    e.submit(
      ordersOf(
        {
          symbol: 'NVDA',
          side: 'sell',
          type: 'trailing_stop',
          timeInForce: 'gtc',
          qty: '1',
          trailPrice: '1',
        },
        'tr',
        T,
      ),
      T,
    );
    const before = e.get('tr');
    e.onTrade(tradeOf('NVDA', T + 1, 99.5));
    expect(e.get('tr')).toBe(before);
    e.onTrade(tradeOf('NVDA', T + 2, 100.5));
    expect(e.get('tr')).not.toBe(before);
    expect(e.get('tr')?.stopPrice?.toString()).toBe('99.5');
  });

  it('reserves buying power for open buys at their limit, and again when an order changes', () => {
    const e = new MatchingEngine();
    e.onQuote(quoteOf('AAPL', T, 99.9, 100));
    e.onQuote(quoteOf('MSFT', T, 99.9, 100));
    restingBook(e, 10);
    const reference = () => new Money(100);
    const expected = e.openOrders().reduce((sum, o) => sum.plus(o.limitPrice ?? 0), new Money(0));
    expect(reservedBuyingPower(e.openOrders(), reference).toString()).toBe(expected.toString());
    // Asked again (values remembered per order) it is the same; a fill frees what it filled.
    expect(reservedBuyingPower(e.openOrders(), reference).toString()).toBe(expected.toString());
    e.onTrade(tradeOf('AAPL', T + 1_000, 89.5));
    const after = e.openOrders().reduce((sum, o) => sum.plus(o.limitPrice ?? 0), new Money(0));
    expect(after.lt(expected)).toBe(true);
    expect(reservedBuyingPower(e.openOrders(), reference).toString()).toBe(after.toString());
  });

  it('lets the orders that can take the quote take it in submission order, a stop triggered just now included', () => {
    const e = new MatchingEngine({ fillModel: { latencyMs: 500, partialFills: 'displayed_size' } });
    e.onQuote(quoteOf('AAPL', T, 99.9, 100, 100, 100));
    restingBook(e, 40);
    const order = { symbol: 'AAPL', side: 'buy' as const, timeInForce: 'day' as const, qty: '100' };
    e.submit(ordersOf({ ...order, type: 'stop', stopPrice: '100.5' }, 'stop-first', T), T);
    e.submit(ordersOf({ ...order, type: 'market' }, 'market-second', T + 1), T + 1);
    // The print triggers the stop, which was submitted first: it takes the 100 shares displayed at the ask.
    const out = e.onTrade(tradeOf('AAPL', T + 600, 100.6));
    expect(out.fills.map((f) => [f.orderId, f.qty.toString(), f.price.toString()])).toEqual([
      ['stop-first', '100', '100'],
    ]);
    expect(e.get('market-second')?.status).toBe('new');
    const next = e.onQuote(quoteOf('AAPL', T + 700, 100.1, 100.2, 100, 100));
    expect(next.fills.map((f) => [f.orderId, f.qty.toString(), f.price.toString()])).toEqual([
      ['market-second', '100', '100.2'],
    ]);
  });

  it('fills the resting limits a print reaches, in submission order (not price order), up to its size', () => {
    const e = new MatchingEngine({ fillModel: { partialFills: 'displayed_size' } });
    e.onQuote(quoteOf('AAPL', T, 99.9, 100));
    restingBook(e, 20);
    const limit = (side: 'buy' | 'sell', price: string, id: string) =>
      e.submit(
        ordersOf(
          { symbol: 'AAPL', side, type: 'limit', timeInForce: 'day', qty: '100', limitPrice: price },
          id,
          T,
        ),
        T,
      );
    limit('buy', '99', 'buy-99-first');
    limit('buy', '99.5', 'buy-99.5-second');
    limit('buy', '98', 'buy-98-third');
    limit('sell', '100.5', 'sell-100.5');
    const out = e.onTrade(tradeOf('AAPL', T + 1_000, 98.9, 150));
    expect(out.fills.map((f) => [f.orderId, f.qty.toString(), f.price.toString()])).toEqual([
      ['buy-99-first', '100', '99'],
      ['buy-99.5-second', '50', '99.5'],
    ]);
    const up = e.onTrade(tradeOf('AAPL', T + 2_000, 100.6, 500));
    expect(up.fills.map((f) => [f.orderId, f.qty.toString()])).toEqual([['sell-100.5', '100']]);
  });
});
