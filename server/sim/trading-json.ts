import { z } from 'zod';
import { TRADING_ERRORS } from '../../contracts/errors/trading.js';
import { DomainError } from '../../core/kernel/index.js';
import {
  type AccountSnapshot,
  type NewOrderRequest,
  type Order,
  type PositionSnapshot,
  type ReplaceOrderRequest,
  type TradeUpdate,
  ORDER_CLASSES,
  ORDER_SIDES,
  ORDER_TYPES,
  TIME_IN_FORCES,
  presentAccount,
  presentOrder,
  presentPosition,
  presentTradeUpdate,
} from '../../core/trading/index.js';
import { AlpacaError } from './alpaca-error.js';
import { assetId } from './presenter.js';
import type { FillActivity, SimAccount } from './sim-accounts.js';

/** A decimal as Alpaca accepts it: a JSON string (recommended) or a JSON number. */
const Decimal = z.union([z.string(), z.number().finite()]).transform((v) => String(v));
const OptionalDecimal = Decimal.nullish();

const OrderBody = z.object({
  symbol: z.string(),
  side: z.enum(ORDER_SIDES),
  type: z.enum(ORDER_TYPES),
  time_in_force: z.enum(TIME_IN_FORCES),
  qty: OptionalDecimal,
  notional: OptionalDecimal,
  limit_price: OptionalDecimal,
  stop_price: OptionalDecimal,
  trail_price: OptionalDecimal,
  trail_percent: OptionalDecimal,
  extended_hours: z.boolean().nullish(),
  client_order_id: z.string().nullish(),
  order_class: z.union([z.enum(ORDER_CLASSES), z.literal('')]).nullish(),
  take_profit: z.object({ limit_price: Decimal }).nullish(),
  stop_loss: z.object({ stop_price: Decimal, limit_price: OptionalDecimal }).nullish(),
});

const ReplaceBody = z.object({
  qty: OptionalDecimal,
  time_in_force: z.enum(TIME_IN_FORCES).nullish(),
  limit_price: OptionalDecimal,
  stop_price: OptionalDecimal,
  trail: OptionalDecimal,
  client_order_id: z.string().nullish(),
});

function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') ?? 'body';
  throw new AlpacaError(422, 40010001, `invalid ${field}: ${issue?.message ?? 'bad value'}`);
}

/** POST /v2/orders body → Pulse's request (decimals as given, strings or numbers). */
export function newOrderRequest(body: unknown): NewOrderRequest {
  const b = parsed(OrderBody, body);
  return {
    symbol: b.symbol,
    side: b.side,
    type: b.type,
    timeInForce: b.time_in_force,
    qty: b.qty,
    notional: b.notional,
    limitPrice: b.limit_price,
    stopPrice: b.stop_price,
    trailPrice: b.trail_price,
    trailPercent: b.trail_percent,
    extendedHours: b.extended_hours ?? false,
    clientOrderId: b.client_order_id ?? null,
    orderClass: b.order_class ?? '',
    takeProfit: b.take_profit ? { limitPrice: b.take_profit.limit_price } : null,
    stopLoss: b.stop_loss
      ? { stopPrice: b.stop_loss.stop_price, limitPrice: b.stop_loss.limit_price ?? null }
      : null,
  };
}

/** PATCH /v2/orders/{id} body → Pulse's replace request. */
export function replaceRequest(body: unknown): ReplaceOrderRequest {
  const b = parsed(ReplaceBody, body);
  return {
    qty: b.qty,
    timeInForce: b.time_in_force,
    limitPrice: b.limit_price,
    stopPrice: b.stop_price,
    trail: b.trail,
    clientOrderId: b.client_order_id,
  };
}

/**
 * A paper-broker refusal answered as Alpaca does: 403 `40310000` for buying power, shares and permission
 * refusals, 404 `40410000`, 422 `40010001` for a taken client_order_id, else 422 `42210000`.
 */
export function alpacaErrorOf(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  if (error.code === 'TRADING_CLIENT_ORDER_ID_CONFLICT')
    return new AlpacaError(422, 40010001, 'client_order_id must be unique');
  if (error.code === 'TRADING_ORDER_NOT_FOUND') return new AlpacaError(404, 40410000, 'order not found');
  if (error.code === 'TRADING_POSITION_NOT_FOUND')
    return new AlpacaError(404, 40410000, 'position does not exist');
  const spec = (TRADING_ERRORS as Record<string, { status: number } | undefined>)[error.code];
  if (spec?.status === 403) return new AlpacaError(403, 40310000, error.message);
  return new AlpacaError(422, 42210000, error.message);
}

/** Alpaca's order object with the sim's asset id; `legs` nested when given. */
export function orderJson(order: Order, legs?: readonly Order[]): Record<string, unknown> {
  const json: Record<string, unknown> = { ...presentOrder(order), asset_id: assetId(order.symbol) };
  json.legs = legs && legs.length > 0 ? legs.map((leg) => orderJson(leg)) : null;
  return json;
}

/** Alpaca's position object, with the fields the core presenter leaves to the venue. */
export function positionJson(
  p: PositionSnapshot,
  exchange: string,
  lastdayPrice: string,
): Record<string, unknown> {
  const base = presentPosition(p);
  const last = Number(lastdayPrice);
  const change = last > 0 ? String(Number(p.currentPrice.toString()) / last - 1) : '0';
  return {
    asset_id: assetId(p.symbol),
    exchange,
    asset_marginable: true,
    ...base,
    qty_available: base.qty,
    unrealized_intraday_pl: base.unrealized_pl,
    unrealized_intraday_plpc: base.unrealized_plpc,
    lastday_price: lastdayPrice,
    change_today: change,
  };
}

/** Alpaca's account object for a sim account. */
export function accountJson(account: SimAccount, snapshot: AccountSnapshot): Record<string, unknown> {
  return {
    id: account.id,
    account_number: account.accountNumber,
    crypto_status: 'INACTIVE',
    ...presentAccount(snapshot),
    non_marginable_buying_power: snapshot.cash.toString(),
    daytrading_buying_power: '0',
    options_buying_power: snapshot.cash.toString(),
    initial_margin: '0',
    maintenance_margin: '0',
    last_maintenance_margin: '0',
    sma: '0',
    transfers_blocked: false,
    trade_suspended_by_user: false,
    pending_transfer_in: '0',
    pending_transfer_out: '0',
    options_approved_level: 0,
    options_trading_level: 0,
    intraday_adjustments: '0',
    pending_reg_taf_fees: '0',
    created_at: new Date(account.createdAt).toISOString(),
    balance_asof: new Date(account.createdAt).toISOString().slice(0, 10),
  };
}

/** The `data` of a trade_updates message, with the sim's asset id on the order. */
export function tradeUpdateJson(update: TradeUpdate): Record<string, unknown> {
  return { ...presentTradeUpdate(update), order: orderJson(update.order) };
}

/** A FILL activity as Alpaca lists it. */
export function activityJson(a: FillActivity): Record<string, unknown> {
  const { order, qty, price } = a.update;
  const cum = order.filledQty;
  return {
    id: a.id,
    activity_type: 'FILL',
    transaction_time: new Date(a.t).toISOString(),
    type: a.update.event,
    price: price?.toString() ?? null,
    qty: qty?.toString() ?? null,
    side: order.side,
    symbol: order.symbol,
    leaves_qty: order.qty ? order.qty.minus(cum).toString() : '0',
    order_id: order.id,
    cum_qty: cum.toString(),
    order_status: order.status,
  };
}
