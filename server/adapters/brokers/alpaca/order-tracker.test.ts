import { describe, expect, it } from 'vitest';
import { Money } from '../../../../core/kernel/index.js';
import { at, ordersOf } from '../../../../core/testing/trading-fixtures.js';
import type { Order, TradeUpdate } from '../../../../core/trading/index.js';
import { OrderTracker } from './order-tracker.js';
import { AlpacaTradingRestClient } from './trading-rest-client.js';
import { WireOrder } from './wire.js';

const T = at('2024-03-12', '10:00');
const [base] = ordersOf(
  { symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'day', qty: '10', limitPrice: '100' },
  'o1',
  T,
) as [Order];
const state = (status: Order['status'], filled: string, avg: string | null, t: number): Order => ({
  ...base,
  status,
  filledQty: new Money(filled),
  filledAvgPrice: avg === null ? null : new Money(avg),
  updatedAt: t,
});
const update = (order: Order, event: TradeUpdate['event']): TradeUpdate => ({
  event,
  order,
  timestamp: order.updatedAt,
  executionId: null,
  price: null,
  qty: null,
  positionQty: null,
  fill: null,
});

describe('OrderTracker', () => {
  it('drops a repeated or older stream message and keeps every forward move', () => {
    const tracker = new OrderTracker();
    expect(tracker.accept(update(state('new', '0', null, T), 'new'))).toBe(true);
    expect(tracker.accept(update(state('new', '0', null, T), 'new'))).toBe(false);
    expect(tracker.accept(update(state('partially_filled', '4', '100', T + 1), 'partial_fill'))).toBe(true);
    expect(tracker.accept(update(state('partially_filled', '4', '100', T + 1), 'partial_fill'))).toBe(false);
    expect(tracker.accept(update(state('filled', '10', '99.94', T + 2), 'fill'))).toBe(true);
    expect(tracker.accept(update(state('canceled', '10', '99.94', T + 3), 'canceled'))).toBe(false);
  });

  it('reconciles a missed partial fill then cancel as a partial_fill for the unreported qty at its own price, then canceled', () => {
    const tracker = new OrderTracker();
    tracker.accept(update(state('partially_filled', '4', '100', T + 1), 'partial_fill'));
    const missed = tracker.reconcile([state('canceled', '10', '99.4', T + 5)], T + 1, () => new Money(10));
    expect(
      missed.map((u) => [u.event, u.qty?.toString(), u.price?.toString(), u.positionQty?.toString()]),
    ).toEqual([
      ['partial_fill', '6', '99', '10'],
      ['canceled', undefined, undefined, undefined],
    ]);
    // The same snapshot again, or the stream's late copy of the cancel, reports nothing more.
    expect(tracker.reconcile([state('canceled', '10', '99.4', T + 5)], T + 1, () => new Money(10))).toEqual(
      [],
    );
    expect(tracker.accept(update(state('canceled', '10', '99.4', T + 5), 'canceled'))).toBe(false);
  });

  it('reports orders never seen only when they changed after the last reported change', () => {
    const tracker = new OrderTracker();
    const old = { ...state('filled', '10', '100', T - 60_000), id: 'old' };
    const fresh = { ...state('filled', '10', '100', T + 10), id: 'fresh' };
    const missed = tracker.reconcile([old, fresh], T, () => new Money(10));
    expect(missed.map((u) => [u.order.id, u.event])).toEqual([['fresh', 'fill']]);
  });
});

describe('AlpacaTradingRestClient', () => {
  it('waits what Retry-After says after a 429 and validates the answer', async () => {
    const waits: number[] = [];
    let calls = 0;
    const order = {
      ...JSON.parse(JSON.stringify({ id: 'o1' })),
      client_order_id: 'c',
      created_at: new Date(T).toISOString(),
      symbol: 'AAPL',
      type: 'market',
      side: 'buy',
      time_in_force: 'day',
      status: 'new',
      filled_qty: '0',
    };
    const client = new AlpacaTradingRestClient({
      baseUrl: 'http://alpaca.test',
      keyId: 'k',
      secretKey: 's',
      sleep: async (ms) => void waits.push(ms),
      fetch: async () => {
        calls += 1;
        return calls === 1
          ? new Response('{"code":42910000,"message":"too many requests"}', {
              status: 429,
              headers: { 'retry-after': '2' },
            })
          : new Response(JSON.stringify(order), { status: 200 });
      },
    });
    const got = await client.call({ method: 'POST', path: '/v2/orders', body: {} }, WireOrder);
    expect([got.id, got.legs, calls, waits]).toEqual(['o1', null, 2, [2_000]]);
  });
});
