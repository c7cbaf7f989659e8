import type { Money } from '../kernel/index.js';

/** Alpaca order sides. */
export const ORDER_SIDES = ['buy', 'sell'] as const;
/** Which way an order trades. */
export type OrderSide = (typeof ORDER_SIDES)[number];

/** Alpaca order types for US equities. */
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
/** An order type. */
export type OrderType = (typeof ORDER_TYPES)[number];

/** Alpaca time-in-force values. */
export const TIME_IN_FORCES = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'] as const;
/** How long an order may work. */
export type TimeInForce = (typeof TIME_IN_FORCES)[number];

/** Alpaca order classes (mleg is options-only and out of scope). */
export const ORDER_CLASSES = ['simple', 'bracket', 'oco', 'oto'] as const;
/** An order class. */
export type OrderClass = (typeof ORDER_CLASSES)[number];

/** Every status Alpaca reports on an order. */
export const ORDER_STATUSES = [
  'new',
  'accepted',
  'pending_new',
  'partially_filled',
  'filled',
  'done_for_day',
  'canceled',
  'pending_cancel',
  'replaced',
  'pending_replace',
  'expired',
  'rejected',
  'held',
  'stopped',
  'suspended',
  'calculated',
  'accepted_for_bidding',
] as const;
/** An order status. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses after which an order never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'expired',
  'replaced',
  'rejected',
]);

/** True while an order can still fill, be canceled or be replaced. */
export function isOpen(order: Pick<Order, 'status'>): boolean {
  return !TERMINAL_STATUSES.has(order.status);
}

/** The role an order plays inside a bracket, OCO or OTO group. */
export type LegRole = 'entry' | 'take_profit' | 'stop_loss';

/**
 * An order as Alpaca describes it (fields mirror the v2 order object, camelCased), decimals as
 * {@link Money}, times as UTC epoch ms. `legs` holds the ids of child orders; `parentId` and `role`
 * are Pulse's own bookkeeping for advanced classes.
 */
export interface Order {
  readonly id: string;
  readonly clientOrderId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly submittedAt: number;
  readonly filledAt: number | null;
  readonly expiredAt: number | null;
  readonly canceledAt: number | null;
  readonly failedAt: number | null;
  readonly replacedAt: number | null;
  readonly replacedBy: string | null;
  readonly replaces: string | null;
  readonly assetClass: 'us_equity';
  readonly symbol: string;
  readonly notional: Money | null;
  readonly qty: Money | null;
  readonly filledQty: Money;
  readonly filledAvgPrice: Money | null;
  readonly orderClass: OrderClass;
  readonly type: OrderType;
  readonly side: OrderSide;
  readonly timeInForce: TimeInForce;
  readonly limitPrice: Money | null;
  readonly stopPrice: Money | null;
  readonly status: OrderStatus;
  readonly extendedHours: boolean;
  readonly legs: readonly string[];
  readonly trailPercent: Money | null;
  readonly trailPrice: Money | null;
  readonly hwm: Money | null;
  readonly parentId: string | null;
  readonly role: LegRole | null;
  /** Commission charged on this order so far (the fill model's, never a float). */
  readonly commission: Money;
}
