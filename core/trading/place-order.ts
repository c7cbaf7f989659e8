import { DomainError } from '../kernel/index.js';
import type { Broker } from './broker.js';
import type { Order } from './order.js';
import { type NewOrderRequest, type OrderSpec, specFingerprint } from './order-request.js';
import type { OrderStore } from './order-store.js';
import { refusalError } from './refusal.js';
import { validateOrder } from './validate-order.js';

/** The fingerprint of a stored order, comparable with {@link specFingerprint} of a request. */
export function orderFingerprint(order: Order, legs: readonly Order[]): string {
  const tp = legs.find((l) => l.role === 'take_profit');
  const sl = legs.find((l) => l.role === 'stop_loss');
  const spec: OrderSpec = {
    ...order,
    clientOrderId: order.clientOrderId,
    trailPrice: order.trailPrice,
    trailPercent: order.trailPercent,
    takeProfit:
      order.orderClass === 'oco' && order.limitPrice
        ? { limitPrice: order.limitPrice }
        : tp?.limitPrice
          ? { limitPrice: tp.limitPrice }
          : null,
    stopLoss: sl?.stopPrice
      ? { stopPrice: sl.stopPrice, limitPrice: sl.type === 'stop_limit' ? sl.limitPrice : null }
      : null,
    // A trailing stop's stop_price is computed by the broker, not part of the request.
    stopPrice: order.type === 'trailing_stop' ? null : order.stopPrice,
  };
  return specFingerprint(spec);
}

/**
 * Places an order idempotently: a retry with a client_order_id already in the store returns that first
 * order (never a second one); the same id with a different request is refused
 * (TRADING_CLIENT_ORDER_ID_CONFLICT). Accepted orders are recorded in the store.
 */
export async function placeOrder(
  request: NewOrderRequest,
  deps: { broker: Broker; orders: OrderStore },
): Promise<Order> {
  const checked = validateOrder(request);
  if (!checked.ok) throw refusalError(checked.refusal);
  const cid = checked.value.clientOrderId;
  if (cid !== null) {
    const first = await deps.orders.getByClientId(cid);
    if (first) {
      const legs = (await Promise.all(first.legs.map((id) => deps.orders.get(id)))).filter(
        (o): o is Order => o !== null,
      );
      if (orderFingerprint(first, legs) === specFingerprint(checked.value)) return first;
      throw new DomainError('TRADING_CLIENT_ORDER_ID_CONFLICT', 'client_order_id must be unique', {
        clientOrderId: cid,
        orderId: first.id,
      });
    }
  }
  const order = await deps.broker.submitOrder(request);
  await deps.orders.save(order);
  return order;
}
