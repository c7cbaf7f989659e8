import { describe, expect, it } from 'vitest';
import { Money } from '../../kernel/index.js';
import { at, ordersOf, quoteOf, tradeOf } from '../../testing/trading-fixtures.js';
import { MatchingEngine } from '../matching/matching-engine.js';
import type { NewOrderRequest } from '../order-request.js';
import { reservedBuyingPower } from './check-order.js';

const T = at('2024-03-12', '11:00');
const CLOSE = at('2024-03-12', '16:00');

/** The engine keeps the buying power its open orders hold as they change (bench/trading/order-ack). */
describe('MatchingEngine.reservedBuyingPower', () => {
  const prices: Record<string, Money> = { AAPL: new Money('100.25'), MSFT: new Money('50.5') };
  const reference = (symbol: string) => prices[symbol] ?? null;

  function expectKept(e: MatchingEngine): string {
    const walked = reservedBuyingPower(e.openOrders(), reference).toString();
    expect(e.reservedBuyingPower(reference).toString()).toBe(walked);
    return walked;
  }

  it('equals a walk over every open order through places, fills, replaces, cancels and expiry', () => {
    const e = new MatchingEngine({ fillModel: { latencyMs: 0 } });
    e.onQuote(quoteOf('AAPL', T, 100, 100.5));
    e.onQuote(quoteOf('MSFT', T, 50, 50.5));
    e.onTrade(tradeOf('AAPL', T, 100.25));
    const requests: NewOrderRequest[] = [
      { symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'day', qty: '3', limitPrice: '90.5' },
      { symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'gtc', qty: '2', limitPrice: '95.35' },
      { symbol: 'MSFT', side: 'buy', type: 'stop', timeInForce: 'day', qty: '4', stopPrice: '60' },
      { symbol: 'MSFT', side: 'buy', type: 'trailing_stop', timeInForce: 'day', qty: '2', trailPrice: '1' },
      { symbol: 'AAPL', side: 'sell', type: 'limit', timeInForce: 'day', qty: '1', limitPrice: '150' },
      {
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        timeInForce: 'day',
        qty: '5',
        limitPrice: '91',
        orderClass: 'bracket',
        takeProfit: { limitPrice: '120' },
        stopLoss: { stopPrice: '85' },
      },
    ];
    const none = expectKept(e);
    requests.forEach((request, i) => e.submit(ordersOf(request, `o${i}`, T), T));
    const placed = expectKept(e);
    expect(new Money(placed).gt(none)).toBe(true);
    // A trade through some limits fills them (partly): what they hold shrinks.
    e.onQuote(quoteOf('AAPL', T + 1_000, 90.4, 90.6, 2));
    e.onTrade(tradeOf('AAPL', T + 1_000, 90.75, 1));
    const filled = expectKept(e);
    expect(new Money(filled).lt(placed)).toBe(true);
    // A trailing stop moves without an event; a replace swaps one order for another.
    e.onTrade(tradeOf('MSFT', T + 2_000, 49));
    expectKept(e);
    e.replace('o2', { qty: '7', stopPrice: '61' }, 'o2b', T + 3_000);
    const replaced = expectKept(e);
    expect(replaced).not.toBe(filled);
    e.cancel('o0', T + 4_000);
    expectKept(e);
    // A market buy valued at the reference price while it waits for the open.
    e.submit(
      ordersOf({ symbol: 'MSFT', side: 'buy', type: 'market', timeInForce: 'opg', qty: '3' }, 'm', T),
      T,
    );
    expectKept(e);
    e.onQuote(quoteOf('AAPL', CLOSE, 100, 100.5));
    expect(expectKept(e)).not.toBe(replaced);
  });

  it('lists the open orders changed since it was last asked, silent changes included', () => {
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
    expect(e.takeChangedOpenOrders().map((o) => o.id)).toEqual(['tr']);
    expect(e.takeChangedOpenOrders()).toEqual([]);
    e.onTrade(tradeOf('NVDA', T + 1, 101));
    const [moved] = e.takeChangedOpenOrders();
    expect(moved?.stopPrice?.toString()).toBe('100');
    expect(moved).toBe(e.get('tr'));
    expect(e.openSymbols()).toEqual(new Set(['NVDA']));
  });
});
