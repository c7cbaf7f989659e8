import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../../../contracts/errors.js';
import type {
  AccountJson,
  NewOrderBody,
  OrderJson,
  PositionJson,
  ReplaceOrderBody,
} from '../../../contracts/trading.js';
import { DomainError } from '../../../core/kernel/index.js';
import {
  type NewOrderRequest,
  type Order,
  type ReplaceOrderRequest,
  type PositionSnapshot,
  presentAccount,
  presentOrder,
  presentPosition,
} from '../../../core/trading/index.js';
import { AppError } from '../../errors.js';
import { fillModelToJson } from '../../trading/settings.js';
import type { AccountDetails, TradingAccount } from '../../trading/trading-account.js';
import type { FillRecord } from '../../trading/trading-store.js';
import { type Caller, requireCaller } from '../auth/session.plugin.js';

/** The caller, who must be allowed to trade (viewers may only read): else 403 AUTH_FORBIDDEN. */
export async function requireTrader(request: FastifyRequest): Promise<Caller> {
  const caller = await requireCaller(request);
  if (caller.user.role === 'viewer') throw new AppError('AUTH_FORBIDDEN', 'Viewers may not trade.');
  return caller;
}

/** An RFC 3339 instant or YYYY-MM-DD from a query, as UTC ms (400 when unparseable). */
export function instant(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new AppError('REQUEST_VALIDATION_FAILED', `querystring.${name}: not an RFC 3339 time`);
  return ms;
}

/** A POST /orders body in core's vocabulary. */
export function toOrderRequest(b: NewOrderBody): NewOrderRequest {
  return {
    symbol: b.symbol,
    side: b.side,
    type: b.type,
    timeInForce: b.time_in_force,
    qty: b.qty ?? null,
    notional: b.notional ?? null,
    limitPrice: b.limit_price ?? null,
    stopPrice: b.stop_price ?? null,
    trailPrice: b.trail_price ?? null,
    trailPercent: b.trail_percent ?? null,
    extendedHours: b.extended_hours ?? false,
    clientOrderId: b.client_order_id ?? null,
    orderClass: b.order_class ?? 'simple',
    takeProfit: b.take_profit ? { limitPrice: b.take_profit.limit_price } : null,
    stopLoss: b.stop_loss
      ? { stopPrice: b.stop_loss.stop_price, limitPrice: b.stop_loss.limit_price ?? null }
      : null,
  };
}

/** A PATCH /orders/:id body in core's vocabulary. */
export function toReplaceRequest(b: ReplaceOrderBody): ReplaceOrderRequest {
  return {
    qty: b.qty ?? null,
    timeInForce: b.time_in_force ?? null,
    limitPrice: b.limit_price ?? null,
    stopPrice: b.stop_price ?? null,
    trail: b.trail ?? null,
    clientOrderId: b.client_order_id ?? null,
  };
}

/** An order as Alpaca's JSON, its legs nested when `nested`. */
export async function presentOrderOf(
  account: TradingAccount,
  order: Order,
  nested: boolean,
): Promise<OrderJson> {
  if (!nested || order.legs.length === 0) return orderJson(order);
  return orderJson(order, await account.legsOf(order));
}

// core's presenters build exactly Alpaca's objects; these only give them their wire types.
/** An order as Alpaca's order JSON. */
export function orderJson(order: Order, legs?: readonly Order[]): OrderJson {
  return presentOrder(order, legs) as OrderJson;
}

/** A position as Alpaca's position JSON. */
export function positionJson(position: PositionSnapshot): z.infer<typeof PositionJson> {
  return presentPosition(position) as z.infer<typeof PositionJson>;
}

/** The account as Alpaca's account object, with the paper settings Pulse adds and which broker it is. */
export async function presentTradingAccount(
  account: TradingAccount,
  killSwitch: boolean,
): Promise<z.infer<typeof AccountJson>> {
  return presentAccountDetails(await account.details(), account, killSwitch);
}

/** {@link presentTradingAccount} from details already read. */
export function presentAccountDetails(
  details: AccountDetails,
  account: Pick<TradingAccount, 'broker' | 'live'>,
  killSwitch: boolean,
): z.infer<typeof AccountJson> {
  // Fields added in place, not `{ ...presentAccount(…), id, … }`: a spread copy given new fields gets a hidden class
  // of its own in V8's optimised code (one per response).
  const json = presentAccount(details.snapshot) as Pick<
    z.infer<typeof AccountJson>,
    'cash' | 'equity' | 'buying_power'
  >;
  return Object.assign(json, {
    id: details.id,
    account_number: details.accountNumber,
    ...(details.createdAt !== null && { created_at: new Date(details.createdAt).toISOString() }),
    ...(details.startingCash !== null && { starting_cash: details.startingCash.toFixed() }),
    trading_blocked: killSwitch,
    fill_model: details.fillModel === null ? null : fillModelToJson(details.fillModel),
    broker: account.broker,
    live: account.live,
  });
}

/** A stored execution as Alpaca's FILL activity; `id` is `<time>::<execution id>` (the page cursor). */
export function presentFill(f: FillRecord) {
  const at = new Date(f.fill.t).toISOString();
  return {
    id: `${at.replace(/\D/g, '').slice(0, 17)}::${f.fill.id}`,
    activity_type: 'FILL' as const,
    transaction_time: at,
    type: f.leavesQty.isZero() ? ('fill' as const) : ('partial_fill' as const),
    price: f.fill.price.toString(),
    qty: f.fill.qty.toString(),
    side: f.fill.side,
    symbol: f.fill.symbol,
    leaves_qty: f.leavesQty.toString(),
    cum_qty: f.cumQty.toString(),
    order_id: f.fill.orderId,
    order_status: f.orderStatus,
    commission: f.fill.commission.toString(),
    position_qty: f.positionQty.toString(),
  };
}

/** The HTTP status and `{ code, message }` of a failure inside a bulk (207) operation. */
export function bulkError(error: unknown): { status: number; body: { code: string; message: string } } {
  if (error instanceof DomainError && Object.hasOwn(ERROR_CATALOG, error.code))
    return {
      status: ERROR_CATALOG[error.code as ErrorCode].status,
      body: { code: error.code, message: error.message },
    };
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' } };
}
