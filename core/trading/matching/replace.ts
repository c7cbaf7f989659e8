import { Money } from '../../kernel/index.js';
import type { Order, OrderStatus } from '../order.js';
import type { ReplaceOrderRequest } from '../order-request.js';
import { type Checked, refuse } from '../refusal.js';
import { validateOrder } from '../validate-order.js';
import { trailStop } from './triggers.js';

const REPLACEABLE: ReadonlySet<OrderStatus> = new Set(['new', 'partially_filled', 'held', 'done_for_day']);

/**
 * The order that replaces `old` under PATCH /v2/orders/{id}: a new id that `replaces` the old one, the
 * changed fields checked by Alpaca's rules, qty defaulting to what is left unfilled. Refused while the old
 * order is accepted/pending (as Alpaca), finished, or notional.
 */
export function replacementOf(
  old: Order,
  changes: ReplaceOrderRequest,
  newId: string,
  t: number,
): Checked<Order> {
  if (!REPLACEABLE.has(old.status))
    return {
      ok: false,
      refusal: refuse('TRADING_ORDER_NOT_REPLACEABLE', `order is not replaceable while ${old.status}`, {
        id: old.id,
        status: old.status,
      }),
    };
  if (old.notional)
    return {
      ok: false,
      refusal: refuse('TRADING_ORDER_NOT_REPLACEABLE', 'notional orders cannot be replaced', { id: old.id }),
    };
  const usesLimit = old.type === 'limit' || old.type === 'stop_limit';
  const usesStop = old.type === 'stop' || old.type === 'stop_limit';
  const trailing = old.type === 'trailing_stop';
  if ((changes.limitPrice && !usesLimit) || (changes.stopPrice && !usesStop) || (changes.trail && !trailing))
    return {
      ok: false,
      refusal: refuse('TRADING_PRICE_NOT_ALLOWED', `the change does not apply to a ${old.type} order`, {
        id: old.id,
      }),
    };
  const qty = changes.qty ?? (old.qty ?? new Money(0)).minus(old.filledQty);
  const checked = validateOrder({
    symbol: old.symbol,
    side: old.side,
    type: old.type,
    timeInForce: changes.timeInForce ?? old.timeInForce,
    qty,
    limitPrice: changes.limitPrice ?? old.limitPrice,
    stopPrice: changes.stopPrice ?? old.stopPrice,
    trailPrice: trailing && old.trailPrice ? (changes.trail ?? old.trailPrice) : null,
    trailPercent: trailing && old.trailPercent ? (changes.trail ?? old.trailPercent) : null,
    extendedHours: old.extendedHours,
  });
  if (!checked.ok) return checked;
  const spec = checked.value;
  const next: Order = {
    ...old,
    id: newId,
    clientOrderId: changes.clientOrderId ?? newId,
    createdAt: t,
    updatedAt: t,
    submittedAt: t,
    filledAt: null,
    expiredAt: null,
    canceledAt: null,
    failedAt: null,
    replacedAt: null,
    replacedBy: null,
    replaces: old.id,
    qty: spec.qty,
    filledQty: new Money(0),
    filledAvgPrice: null,
    timeInForce: spec.timeInForce,
    limitPrice: spec.limitPrice,
    stopPrice: trailing ? old.stopPrice : spec.stopPrice,
    trailPrice: spec.trailPrice,
    trailPercent: spec.trailPercent,
    status: 'accepted',
    commission: new Money(0),
  };
  if (trailing && next.hwm)
    return { ok: true, value: { ...next, stopPrice: trailStop(next, next.hwm).stop } };
  return { ok: true, value: next };
}
