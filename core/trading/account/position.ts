import { Money } from '../../kernel/index.js';
import type { OrderSide } from '../order.js';

/** A holding in one symbol: signed qty (negative = short) at an average entry price, with realised P&L so far. */
export interface Position {
  readonly symbol: string;
  readonly qty: Money;
  readonly avgEntryPrice: Money;
  readonly realizedPl: Money;
}

/** What one fill did to a position. */
export interface PositionChange {
  readonly position: Position;
  /** Realised P&L of the part that closed (gross of commission). */
  readonly realized: Money;
  /** The fill opened or added exposure (a flip both closes and opens). */
  readonly opened: boolean;
  /** The fill closed some exposure. */
  readonly closed: boolean;
}

/** An empty position. */
export function flatPosition(symbol: string): Position {
  return { symbol, qty: new Money(0), avgEntryPrice: new Money(0), realizedPl: new Money(0) };
}

/**
 * Applies a fill: adding to a position averages the entry price; reducing realises (price − entry) × closed
 * qty for longs (entry − price for shorts); crossing zero opens the rest at the fill price.
 */
export function applyFill(position: Position, side: OrderSide, qty: Money, price: Money): PositionChange {
  const delta = side === 'buy' ? qty : qty.negated();
  const q = position.qty;
  const next = q.plus(delta);
  if (q.isZero() || q.isNegative() === delta.isNegative()) {
    const avg = position.avgEntryPrice.times(q.abs()).plus(price.times(qty)).dividedBy(next.abs());
    return {
      position: { ...position, qty: next, avgEntryPrice: avg },
      realized: new Money(0),
      opened: true,
      closed: false,
    };
  }
  const closing = Money.min(qty, q.abs());
  const perShare = q.isPositive() ? price.minus(position.avgEntryPrice) : position.avgEntryPrice.minus(price);
  const realized = perShare.times(closing);
  const flipped = qty.gt(q.abs());
  const avg = next.isZero() ? new Money(0) : flipped ? price : position.avgEntryPrice;
  return {
    position: { ...position, qty: next, avgEntryPrice: avg, realizedPl: position.realizedPl.plus(realized) },
    realized,
    opened: flipped,
    closed: true,
  };
}
