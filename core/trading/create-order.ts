import { Money } from '../kernel/index.js';
import type { LegRole, Order, OrderSide } from './order.js';
import type { OrderSpec } from './order-request.js';

/** Ids for a new order group: the order's own id and client id, and a generator for leg ids. */
export interface NewOrderIds {
  readonly id: string;
  readonly clientOrderId: string;
  readonly newId: () => string;
}

function blank(
  t: number,
): Omit<Order, 'id' | 'clientOrderId' | 'symbol' | 'side' | 'type' | 'timeInForce' | 'orderClass'> {
  return {
    createdAt: t,
    updatedAt: t,
    submittedAt: t,
    filledAt: null,
    expiredAt: null,
    canceledAt: null,
    failedAt: null,
    replacedAt: null,
    replacedBy: null,
    replaces: null,
    assetClass: 'us_equity',
    notional: null,
    qty: null,
    filledQty: new Money(0),
    filledAvgPrice: null,
    limitPrice: null,
    stopPrice: null,
    status: 'accepted',
    extendedHours: false,
    legs: [],
    trailPercent: null,
    trailPrice: null,
    hwm: null,
    parentId: null,
    role: null,
    commission: new Money(0),
  };
}

function exitLeg(parent: Order, role: LegRole, side: OrderSide, id: string, spec: OrderSpec): Order {
  const stopLimit = spec.stopLoss?.limitPrice ?? null;
  const isTp = role === 'take_profit';
  return {
    ...blank(parent.createdAt),
    id,
    clientOrderId: id,
    symbol: parent.symbol,
    side,
    type: isTp ? 'limit' : stopLimit ? 'stop_limit' : 'stop',
    timeInForce: parent.timeInForce,
    orderClass: parent.orderClass,
    qty: parent.qty,
    limitPrice: isTp ? (spec.takeProfit?.limitPrice ?? null) : stopLimit,
    stopPrice: isTp ? null : (spec.stopLoss?.stopPrice ?? null),
    parentId: parent.id,
    role,
  };
}

/**
 * The orders a validated spec becomes, parent first, all `accepted`: a simple order alone; a bracket or
 * OTO entry with its opposite-side exit legs; an OCO take-profit limit with its stop-loss leg.
 */
export function createOrders(spec: OrderSpec, ids: NewOrderIds, t: number): Order[] {
  const parent: Order = {
    ...blank(t),
    id: ids.id,
    clientOrderId: ids.clientOrderId,
    symbol: spec.symbol,
    side: spec.side,
    type: spec.type,
    timeInForce: spec.timeInForce,
    orderClass: spec.orderClass,
    qty: spec.qty,
    notional: spec.notional,
    limitPrice: spec.limitPrice,
    stopPrice: spec.stopPrice,
    trailPrice: spec.trailPrice,
    trailPercent: spec.trailPercent,
    extendedHours: spec.extendedHours,
    role: spec.orderClass === 'simple' ? null : spec.orderClass === 'oco' ? 'take_profit' : 'entry',
  };
  if (spec.orderClass === 'simple') return [parent];
  const exitSide: OrderSide = spec.orderClass === 'oco' ? spec.side : spec.side === 'buy' ? 'sell' : 'buy';
  const legs: Order[] = [];
  if (spec.takeProfit && spec.orderClass !== 'oco')
    legs.push(exitLeg(parent, 'take_profit', exitSide, ids.newId(), spec));
  if (spec.stopLoss) legs.push(exitLeg(parent, 'stop_loss', exitSide, ids.newId(), spec));
  return [{ ...parent, legs: legs.map((leg) => leg.id) }, ...legs];
}
