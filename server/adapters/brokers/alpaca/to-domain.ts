import { Money } from '../../../../core/kernel/index.js';
import type {
  AccountSnapshot,
  LegRole,
  Order,
  OrderClass,
  PositionSnapshot,
  TradeUpdate,
} from '../../../../core/trading/index.js';
import type { TradeUpdateEvent } from '../../../../core/trading/index.js';
import type { WireAccount, WireOrder, WirePosition, WireTradeUpdate } from './wire.js';

const ZERO = new Money(0);
const money = (text: string | null): Money | null => (text === null ? null : new Money(text));
const ms = (text: string | null): number | null => (text === null ? null : Date.parse(text));

/** The trade_updates events core knows; others (held, order_*_rejected) are not reported as updates. */
export const TRADE_UPDATE_EVENTS: ReadonlySet<string> = new Set<TradeUpdateEvent>([
  'new',
  'fill',
  'partial_fill',
  'canceled',
  'expired',
  'done_for_day',
  'replaced',
  'rejected',
  'pending_new',
  'accepted',
  'stopped',
  'pending_cancel',
  'pending_replace',
  'calculated',
  'suspended',
]);

function orderClassOf(text: string): OrderClass {
  return text === 'bracket' || text === 'oco' || text === 'oto' ? text : 'simple';
}

function roleOf(o: WireOrder, cls: OrderClass, parentId: string | null): LegRole | null {
  if (cls === 'simple') return null;
  if (parentId === null) return cls === 'oco' ? 'take_profit' : 'entry';
  return o.type === 'limit' ? 'take_profit' : 'stop_loss';
}

/**
 * An Alpaca order as core's Order. `parentId` comes from nesting (or the caller's memory of it): a leg
 * fetched on its own does not say whose leg it is.
 */
export function toOrder(o: WireOrder, parentId: string | null = null): Order {
  const cls = orderClassOf(o.order_class);
  const created = Date.parse(o.created_at);
  return {
    id: o.id,
    clientOrderId: o.client_order_id,
    createdAt: created,
    updatedAt: ms(o.updated_at) ?? created,
    submittedAt: ms(o.submitted_at) ?? created,
    filledAt: ms(o.filled_at),
    expiredAt: ms(o.expired_at),
    canceledAt: ms(o.canceled_at),
    failedAt: ms(o.failed_at),
    replacedAt: ms(o.replaced_at),
    replacedBy: o.replaced_by,
    replaces: o.replaces,
    assetClass: 'us_equity',
    symbol: o.symbol,
    notional: money(o.notional),
    qty: money(o.qty),
    filledQty: new Money(o.filled_qty),
    filledAvgPrice: money(o.filled_avg_price),
    orderClass: cls,
    type: o.type,
    side: o.side,
    timeInForce: o.time_in_force,
    limitPrice: money(o.limit_price),
    stopPrice: money(o.stop_price),
    status: o.status,
    extendedHours: o.extended_hours,
    legs: (o.legs ?? []).map((leg) => leg.id),
    trailPercent: money(o.trail_percent),
    trailPrice: money(o.trail_price),
    hwm: money(o.hwm),
    parentId,
    role: roleOf(o, cls, parentId),
    // Alpaca charges no commission on US equities.
    commission: ZERO,
  };
}

/** An Alpaca position as core's PositionSnapshot (realised P&L is not reported per position: zero). */
export function toPosition(p: WirePosition): PositionSnapshot {
  const qty = new Money(p.qty);
  const avg = new Money(p.avg_entry_price);
  const current = money(p.current_price) ?? avg;
  const marketValue = money(p.market_value) ?? qty.times(current);
  const costBasis = new Money(p.cost_basis);
  return {
    symbol: p.symbol,
    qty,
    avgEntryPrice: avg,
    realizedPl: ZERO,
    side: p.side,
    currentPrice: current,
    marketValue,
    costBasis,
    unrealizedPl: money(p.unrealized_pl) ?? marketValue.minus(costBasis),
  };
}

/** Alpaca's account as core's AccountSnapshot; what Alpaca does not report is derived or zero. */
export function toAccount(a: WireAccount, positions: readonly PositionSnapshot[]): AccountSnapshot {
  const equity = new Money(a.equity);
  const multiplier = Number(a.multiplier) >= 2 ? 2 : 1;
  const pdt = a.pattern_day_trader ?? false;
  return {
    kind: multiplier === 2 ? 'margin' : 'cash',
    cash: new Money(a.cash),
    equity,
    lastEquity: new Money(a.last_equity),
    buyingPower: new Money(a.buying_power),
    multiplier,
    longMarketValue: new Money(a.long_market_value),
    shortMarketValue: new Money(a.short_market_value),
    realizedPl: ZERO,
    unrealizedPl: positions.reduce((sum, p) => sum.plus(p.unrealizedPl), ZERO),
    fees: money(a.accrued_fees) ?? ZERO,
    daytradeCount: a.daytrade_count ?? 0,
    patternDayTrader: pdt,
    pdtRestricted: pdt && equity.lt(25_000),
    shortingEnabled: a.shorting_enabled ?? multiplier === 2,
  };
}

/** A trade_updates message as core's TradeUpdate; null for events core does not model. */
export function toTradeUpdate(u: WireTradeUpdate, parentId: string | null = null): TradeUpdate | null {
  if (!TRADE_UPDATE_EVENTS.has(u.event)) return null;
  const order = toOrder(u.order, parentId);
  const timestamp = ms(u.timestamp) ?? order.updatedAt;
  const isFill = (u.event === 'fill' || u.event === 'partial_fill') && u.price !== null && u.qty !== null;
  const price = money(u.price);
  const qty = money(u.qty);
  return {
    event: u.event as TradeUpdateEvent,
    order,
    timestamp,
    executionId: u.execution_id,
    price,
    qty,
    positionQty: money(u.position_qty),
    fill:
      isFill && price && qty
        ? {
            id: u.execution_id ?? `${order.id}:${order.filledQty.toString()}`,
            orderId: order.id,
            symbol: order.symbol,
            side: order.side,
            qty,
            price,
            t: timestamp,
            referencePrice: price,
            liquidity: 'taker',
            slippageBps: 0,
            latencyMs: Math.max(0, timestamp - order.submittedAt),
            commission: ZERO,
          }
        : null,
  };
}
