import { DomainError, type Money } from '../kernel/index.js';
import type { Order, OrderStatus } from './order.js';

/** A lifecycle event that moves an order to a new status (Alpaca's trade_updates vocabulary). */
export type OrderEvent =
  | {
      readonly type:
        | 'accepted'
        | 'pending_new'
        | 'new'
        | 'held'
        | 'done_for_day'
        | 'pending_cancel'
        | 'pending_replace'
        | 'stopped'
        | 'suspended'
        | 'calculated'
        | 'accepted_for_bidding'
        | 'canceled'
        | 'expired'
        | 'rejected';
      readonly t: number;
    }
  | { readonly type: 'replaced'; readonly t: number; readonly by: string }
  | {
      readonly type: 'fill';
      readonly t: number;
      readonly qty: Money;
      readonly price: Money;
      readonly commission?: Money;
      /** Set for notional orders, whose share count is only known at the fill. */
      readonly complete?: boolean;
    };

const FILLABLE: OrderStatus[] = ['partially_filled', 'filled'];
const ENDINGS: OrderStatus[] = ['canceled', 'expired', 'rejected', 'pending_cancel'];

/** Every legal status move, as Alpaca's order lifecycle allows it. */
export const STATUS_MOVES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  accepted: ['pending_new', 'new', 'held', 'accepted_for_bidding', 'done_for_day', ...ENDINGS, 'replaced'],
  pending_new: ['accepted', 'new', 'held', ...ENDINGS],
  accepted_for_bidding: ['new', ...ENDINGS],
  new: [
    ...FILLABLE,
    'done_for_day',
    'pending_replace',
    'replaced',
    'stopped',
    'suspended',
    'calculated',
    'held',
    ...ENDINGS,
  ],
  held: ['new', 'accepted', ...FILLABLE, 'replaced', 'pending_replace', ...ENDINGS],
  partially_filled: [
    ...FILLABLE,
    'done_for_day',
    'pending_replace',
    'replaced',
    'stopped',
    'calculated',
    ...ENDINGS,
  ],
  done_for_day: ['new', 'accepted', ...FILLABLE, 'replaced', ...ENDINGS],
  pending_cancel: [...FILLABLE, 'canceled', 'expired', 'new', 'held'],
  pending_replace: [...FILLABLE, 'replaced', 'canceled', 'expired', 'rejected', 'new', 'held'],
  stopped: [...FILLABLE, 'canceled', 'expired'],
  suspended: ['new', 'canceled', 'expired', 'rejected'],
  calculated: [...FILLABLE, 'done_for_day', 'canceled', 'expired'],
  filled: [],
  canceled: [],
  expired: [],
  replaced: [],
  rejected: [],
};

/** True when Alpaca's lifecycle allows an order in `from` to move to `to`. */
export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return STATUS_MOVES[from].includes(to);
}

function targetOf(order: Order, event: OrderEvent): OrderStatus {
  if (event.type !== 'fill') return event.type;
  const filled = order.filledQty.plus(event.qty);
  return event.complete || (order.qty !== null && filled.gte(order.qty)) ? 'filled' : 'partially_filled';
}

/** Applies `event` to `order`, returning the new order; throws TRADING_ILLEGAL_TRANSITION on an illegal move. */
export function transition(order: Order, event: OrderEvent): Order {
  const to = targetOf(order, event);
  if (!canMove(order.status, to)) {
    throw new DomainError(
      'TRADING_ILLEGAL_TRANSITION',
      `order ${order.id} cannot go from ${order.status} to ${to}`,
      {
        id: order.id,
        from: order.status,
        to,
      },
    );
  }
  const t = event.t;
  const next: Order = { ...order, status: to, updatedAt: t };
  switch (event.type) {
    case 'fill': {
      if (event.qty.lte(0))
        throw new DomainError('TRADING_ILLEGAL_TRANSITION', 'a fill needs a positive qty');
      const filledQty = order.filledQty.plus(event.qty);
      const paid = (order.filledAvgPrice ?? event.price)
        .times(order.filledQty)
        .plus(event.price.times(event.qty));
      return {
        ...next,
        filledQty,
        filledAvgPrice: paid.dividedBy(filledQty),
        filledAt: to === 'filled' ? t : order.filledAt,
        commission: order.commission.plus(event.commission ?? 0),
      };
    }
    case 'canceled':
      return { ...next, canceledAt: t };
    case 'expired':
      return { ...next, expiredAt: t };
    case 'rejected':
      return { ...next, failedAt: t };
    case 'replaced':
      return { ...next, replacedAt: t, replacedBy: event.by };
    default:
      return next;
  }
}
