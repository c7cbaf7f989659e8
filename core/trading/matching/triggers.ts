import { Money } from '../../kernel/index.js';
import type { Order } from '../order.js';

const HUNDRED = new Money(100);

/**
 * Moves a trailing stop with a trade at `price`: a sell tracks the high-water mark and trails below it,
 * a buy tracks the low-water mark (still called `hwm`, as Alpaca does) and trails above it.
 */
export function trailStop(
  order: Pick<Order, 'side' | 'hwm' | 'trailPrice' | 'trailPercent'>,
  price: Money,
): { hwm: Money; stop: Money } {
  const sell = order.side === 'sell';
  const hwm = order.hwm === null ? price : sell ? Money.max(order.hwm, price) : Money.min(order.hwm, price);
  let stop: Money;
  if (order.trailPrice) stop = sell ? hwm.minus(order.trailPrice) : hwm.plus(order.trailPrice);
  else {
    const pct = (order.trailPercent ?? new Money(0)).dividedBy(HUNDRED);
    stop = sell ? hwm.times(new Money(1).minus(pct)) : hwm.times(new Money(1).plus(pct));
  }
  return { hwm, stop };
}

/** True when a trade at `price` triggers a stop at `stop`: at or above for buys, at or below for sells. */
export function stopTriggered(side: Order['side'], stop: Money, price: Money): boolean {
  return side === 'buy' ? price.gte(stop) : price.lte(stop);
}

/** True when a trade at `price` reaches a resting limit: strictly through it, or at it when `touch`. */
export function limitReached(side: Order['side'], limit: Money, price: Money, touch: boolean): boolean {
  if (touch && price.eq(limit)) return true;
  return side === 'buy' ? price.lt(limit) : price.gt(limit);
}

/** True when a quote price is marketable for a limit: ask at or below a buy limit, bid at or above a sell limit. */
export function marketable(side: Order['side'], limit: Money | null, quotePrice: Money): boolean {
  if (!limit) return true;
  return side === 'buy' ? quotePrice.lte(limit) : quotePrice.gte(limit);
}
