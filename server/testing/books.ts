import { Money } from '../../core/kernel/index.js';

/** A fill as `/api/v1/activities` shows it (the fields the books need). */
export interface ActivityFill {
  id: string;
  symbol: string;
  side: string;
  qty: string;
  price: string;
  commission: string;
  order_id: string;
}

/**
 * The books as the fills alone make them, from `startingCash`: the cash, each symbol's position (flat ones
 * left out) and each order's filled quantity, as decimal strings.
 */
export function booksFromFills(fills: readonly Omit<ActivityFill, 'id'>[], startingCash: Money) {
  let cash = startingCash;
  const held = new Map<string, Money>();
  const perOrder = new Map<string, Money>();
  for (const f of fills) {
    const value = new Money(f.qty).times(f.price);
    cash = (f.side === 'buy' ? cash.minus(value) : cash.plus(value)).minus(f.commission);
    const signed = f.side === 'buy' ? new Money(f.qty) : new Money(f.qty).negated();
    held.set(f.symbol, (held.get(f.symbol) ?? new Money(0)).plus(signed));
    perOrder.set(f.order_id, (perOrder.get(f.order_id) ?? new Money(0)).plus(f.qty));
  }
  return {
    cash: cash.toString(),
    positions: Object.fromEntries(
      [...held].filter(([, q]) => !q.isZero()).map(([symbol, q]) => [symbol, q.toString()]),
    ),
    filledQty: (orderId: string) => (perOrder.get(orderId) ?? new Money(0)).toString(),
  };
}
