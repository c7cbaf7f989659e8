import type { Money } from '../kernel/index.js';
import type { OrderClass, OrderSide, OrderType, TimeInForce } from './order.js';

/** A decimal as it arrives: a wire string ("12.50") or an exact {@link Money}. */
export type DecimalInput = string | Money;

/** A new-order request in Alpaca's vocabulary (POST /v2/orders, camelCased); checked by `validateOrder`. */
export interface NewOrderRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly qty?: DecimalInput | null;
  readonly notional?: DecimalInput | null;
  readonly limitPrice?: DecimalInput | null;
  readonly stopPrice?: DecimalInput | null;
  readonly trailPrice?: DecimalInput | null;
  readonly trailPercent?: DecimalInput | null;
  readonly extendedHours?: boolean;
  readonly clientOrderId?: string | null;
  /** `''` means simple, as in Alpaca. */
  readonly orderClass?: OrderClass | '';
  readonly takeProfit?: { readonly limitPrice: DecimalInput } | null;
  readonly stopLoss?: { readonly stopPrice: DecimalInput; readonly limitPrice?: DecimalInput | null } | null;
}

/** A request that passed validation: decimals parsed, the class normalised, ready to become an order. */
export interface OrderSpec {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly qty: Money | null;
  readonly notional: Money | null;
  readonly limitPrice: Money | null;
  readonly stopPrice: Money | null;
  readonly trailPrice: Money | null;
  readonly trailPercent: Money | null;
  readonly extendedHours: boolean;
  readonly clientOrderId: string | null;
  readonly orderClass: OrderClass;
  readonly takeProfit: { readonly limitPrice: Money } | null;
  readonly stopLoss: { readonly stopPrice: Money; readonly limitPrice: Money | null } | null;
}

/** Changes allowed by PATCH /v2/orders/{id}. */
export interface ReplaceOrderRequest {
  readonly qty?: DecimalInput | null;
  readonly timeInForce?: TimeInForce | null;
  readonly limitPrice?: DecimalInput | null;
  readonly stopPrice?: DecimalInput | null;
  /** The new trail amount, in the unit the order already uses (price or percent). */
  readonly trail?: DecimalInput | null;
  readonly clientOrderId?: string | null;
}

/** A stable fingerprint of a spec: two submits with one client_order_id are retries only if these agree. */
export function specFingerprint(spec: OrderSpec): string {
  const d = (m: Money | null | undefined) => (m ? m.toString() : '');
  return [
    spec.symbol,
    spec.side,
    spec.type,
    spec.timeInForce,
    d(spec.qty),
    d(spec.notional),
    d(spec.limitPrice),
    d(spec.stopPrice),
    d(spec.trailPrice),
    d(spec.trailPercent),
    String(spec.extendedHours),
    spec.orderClass,
    d(spec.takeProfit?.limitPrice),
    d(spec.stopLoss?.stopPrice),
    d(spec.stopLoss?.limitPrice),
  ].join('|');
}
