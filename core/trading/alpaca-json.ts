import type { Money } from '../kernel/index.js';
import type { AccountSnapshot, PositionSnapshot } from './account/account-ledger.js';
import type { TradeUpdate } from './broker.js';
import type { Order } from './order.js';

const dec = (m: Money | null): string | null => (m === null ? null : m.toString());
const time = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** Alpaca's v2 order JSON (decimals as strings, RFC 3339 times); `legs` are nested when given. */
export type AlpacaOrderJson = Record<string, string | boolean | null | AlpacaOrderJson[]>;

/** Presents an order as Alpaca's order object; pass `legs` for `nested=true`, else `legs` is null. */
export function presentOrder(order: Order, legs?: readonly Order[]): AlpacaOrderJson {
  return {
    id: order.id,
    client_order_id: order.clientOrderId,
    created_at: time(order.createdAt),
    updated_at: time(order.updatedAt),
    submitted_at: time(order.submittedAt),
    filled_at: time(order.filledAt),
    expired_at: time(order.expiredAt),
    canceled_at: time(order.canceledAt),
    failed_at: time(order.failedAt),
    replaced_at: time(order.replacedAt),
    replaced_by: order.replacedBy,
    replaces: order.replaces,
    asset_id: null,
    symbol: order.symbol,
    asset_class: order.assetClass,
    notional: dec(order.notional),
    qty: dec(order.qty),
    filled_qty: order.filledQty.toString(),
    filled_avg_price: dec(order.filledAvgPrice),
    order_class: order.orderClass,
    order_type: order.type,
    type: order.type,
    side: order.side,
    time_in_force: order.timeInForce,
    limit_price: dec(order.limitPrice),
    stop_price: dec(order.stopPrice),
    status: order.status,
    extended_hours: order.extendedHours,
    legs: legs && legs.length > 0 ? legs.map((leg) => presentOrder(leg)) : null,
    trail_percent: dec(order.trailPercent),
    trail_price: dec(order.trailPrice),
    hwm: dec(order.hwm),
  };
}

/** Presents a trade update as the `data` of Alpaca's trade_updates message. */
export function presentTradeUpdate(update: TradeUpdate): Record<string, unknown> {
  const base = { event: update.event, timestamp: time(update.timestamp), order: presentOrder(update.order) };
  if (!update.fill) return base;
  return {
    ...base,
    execution_id: update.executionId,
    price: dec(update.price),
    qty: dec(update.qty),
    position_qty: dec(update.positionQty),
  };
}

/** Presents a position as Alpaca's position object (plpc as a fraction). */
export function presentPosition(p: PositionSnapshot): Record<string, string> {
  const plpc = p.costBasis.isZero() ? '0' : p.unrealizedPl.dividedBy(p.costBasis.abs()).toString();
  return {
    symbol: p.symbol,
    asset_class: 'us_equity',
    avg_entry_price: p.avgEntryPrice.toString(),
    qty: p.qty.toString(),
    side: p.side,
    market_value: p.marketValue.toString(),
    cost_basis: p.costBasis.toString(),
    unrealized_pl: p.unrealizedPl.toString(),
    unrealized_plpc: plpc,
    current_price: p.currentPrice.toString(),
  };
}

/** Presents the account as Alpaca's account object (money as strings, flags as booleans). */
export function presentAccount(a: AccountSnapshot): Record<string, string | number | boolean> {
  return {
    currency: 'USD',
    status: 'ACTIVE',
    cash: a.cash.toString(),
    equity: a.equity.toString(),
    portfolio_value: a.equity.toString(),
    last_equity: a.lastEquity.toString(),
    buying_power: a.buyingPower.toString(),
    regt_buying_power: a.buyingPower.toString(),
    multiplier: String(a.multiplier),
    long_market_value: a.longMarketValue.toString(),
    short_market_value: a.shortMarketValue.toString(),
    daytrade_count: a.daytradeCount,
    pattern_day_trader: a.patternDayTrader,
    shorting_enabled: a.shortingEnabled,
    trading_blocked: false,
    account_blocked: false,
    accrued_fees: a.fees.toString(),
  };
}
