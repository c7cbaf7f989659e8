import { describe, expect, it } from 'vitest';
import { DomainError, Money } from '../kernel/index.js';
import { ordersOf } from '../testing/trading-fixtures.js';
import type { Order } from './order.js';
import { canMove, transition } from './order-status.js';

const order = (): Order =>
  ordersOf(
    { symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'day', qty: '10', limitPrice: '10' },
    'o',
    0,
  )[0] as Order;

describe('transition', () => {
  it('walks accepted → new → partially_filled → filled, averaging the fill prices exactly', () => {
    let o = transition(order(), { type: 'new', t: 1 });
    o = transition(o, { type: 'fill', t: 2, qty: new Money(4), price: new Money('10.01') });
    expect(o.status).toBe('partially_filled');
    o = transition(o, { type: 'fill', t: 3, qty: new Money(6), price: new Money('9.99') });
    expect([o.status, o.filledQty.toString(), o.filledAvgPrice?.toString(), o.filledAt]).toEqual([
      'filled',
      '10',
      '9.998',
      3,
    ]);
  });

  it('refuses to fill a canceled order with TRADING_ILLEGAL_TRANSITION', () => {
    const canceled = transition(transition(order(), { type: 'new', t: 1 }), { type: 'canceled', t: 2 });
    expect(canceled.canceledAt).toBe(2);
    expect(() =>
      transition(canceled, { type: 'fill', t: 3, qty: new Money(1), price: new Money(1) }),
    ).toThrow(DomainError);
  });

  it('records replaced_by and replaced_at when an order is replaced', () => {
    const replaced = transition(transition(order(), { type: 'new', t: 1 }), {
      type: 'replaced',
      t: 5,
      by: 'o2',
    });
    expect([replaced.status, replaced.replacedBy, replaced.replacedAt]).toEqual(['replaced', 'o2', 5]);
  });

  it('allows only Alpaca lifecycle moves', () => {
    expect(canMove('pending_cancel', 'filled')).toBe(true);
    expect(canMove('held', 'new')).toBe(true);
    expect(canMove('filled', 'canceled')).toBe(false);
    expect(canMove('expired', 'new')).toBe(false);
    expect(canMove('accepted', 'partially_filled')).toBe(false);
  });
});
