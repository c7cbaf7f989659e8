import { Money, parseMoney } from '../kernel/index.js';
import { ORDER_CLASSES, ORDER_SIDES, ORDER_TYPES, TIME_IN_FORCES, type OrderClass } from './order.js';
import type { DecimalInput, NewOrderRequest, OrderSpec } from './order-request.js';
import { type Checked, type Refusal, refuse } from './refusal.js';

const SYMBOL = /^[A-Z][A-Z0-9.]{0,15}$/;
const MAX_CLIENT_ORDER_ID = 128;
const ONE_CENT = new Money('0.01');

class Invalid extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

function fail(code: string, message: string, details?: Record<string, unknown>): never {
  throw new Invalid(refuse(code, message, details));
}

function decimal(field: string, input: DecimalInput | null | undefined): Money | null {
  if (input === null || input === undefined) return null;
  const value = typeof input === 'string' ? parseMoney(input.trim()) : input;
  if (value === null || !value.isFinite())
    fail('TRADING_INVALID_ORDER', `${field} is not a decimal number`, { field });
  if (value.lte(0))
    fail('TRADING_INVALID_ORDER', `${field} must be greater than 0`, { field, value: value.toString() });
  return value;
}

/** True when `price` respects Alpaca's increments: 2 decimals at or above $1.00, 4 below. */
export function isValidIncrement(price: Money): boolean {
  return price.decimalPlaces() <= (price.gte(1) ? 2 : 4);
}

function increment(field: string, price: Money | null): void {
  if (price && !isValidIncrement(price))
    fail(
      'TRADING_SUB_PENNY_PRICE',
      `invalid ${field} ${price.toString()}. sub-penny increment does not fulfill minimum pricing criteria`,
      { field, value: price.toString() },
    );
}

function checkLegs(r: Required<Pick<OrderSpec, 'side' | 'limitPrice' | 'orderClass'>>, spec: Legs): void {
  const tp = spec.takeProfit?.limitPrice ?? null;
  const sl = spec.stopLoss?.stopPrice ?? null;
  const slLimit = spec.stopLoss?.limitPrice ?? null;
  // An entry buy exits by selling: the take-profit sits above, the stop below (reversed for sells).
  const exitSell = r.orderClass === 'oco' ? r.side === 'sell' : r.side === 'buy';
  const above = (a: Money, b: Money) => (exitSell ? a.gte(b.plus(ONE_CENT)) : a.lte(b.minus(ONE_CENT)));
  if (tp && sl && !above(tp, sl))
    fail(
      'TRADING_INVALID_LEG_PRICE',
      `take_profit.limit_price ${tp} must be ${exitSell ? 'above' : 'below'} stop_loss.stop_price ${sl}`,
    );
  const base = r.orderClass === 'oco' ? null : r.limitPrice;
  if (base && tp && !above(tp, base))
    fail(
      'TRADING_INVALID_LEG_PRICE',
      `take_profit.limit_price ${tp} must be ${exitSell ? 'above' : 'below'} the entry limit_price ${base}`,
    );
  if (base && sl && !above(base, sl))
    fail(
      'TRADING_INVALID_LEG_PRICE',
      `stop_loss.stop_price ${sl} must be at least 0.01 ${exitSell ? 'below' : 'above'} the entry limit_price ${base}`,
    );
  if (sl && slLimit && (exitSell ? slLimit.gt(sl) : slLimit.lt(sl)))
    fail(
      'TRADING_INVALID_LEG_PRICE',
      `stop_loss.limit_price ${slLimit} must not be ${exitSell ? 'above' : 'below'} stop_loss.stop_price ${sl}`,
    );
}

type Legs = Pick<OrderSpec, 'takeProfit' | 'stopLoss'>;

function checkClass(cls: OrderClass, s: Omit<OrderSpec, 'orderClass'>): void {
  const has = { tp: s.takeProfit !== null, sl: s.stopLoss !== null };
  if (cls === 'simple') {
    if (has.tp || has.sl)
      fail('TRADING_INVALID_ORDER_CLASS', 'take_profit and stop_loss need order_class bracket, oco or oto');
    return;
  }
  if (s.notional) fail('TRADING_NOTIONAL_NOT_ALLOWED', `notional orders must be simple, not ${cls}`);
  if (s.qty && !s.qty.isInteger())
    fail('TRADING_FRACTIONAL_NOT_ALLOWED', `${cls} orders need a whole-share qty`);
  if (s.timeInForce !== 'day' && s.timeInForce !== 'gtc')
    fail('TRADING_INVALID_TIME_IN_FORCE', `${cls} orders must be day or gtc, not ${s.timeInForce}`);
  if (s.extendedHours)
    fail('TRADING_EXTENDED_HOURS_NOT_ALLOWED', `${cls} orders cannot trade in extended hours`);
  if (cls === 'bracket' && !has.tp)
    fail('TRADING_INVALID_ORDER_CLASS', 'bracket orders require take_profit.limit_price');
  if (cls === 'bracket' && !has.sl)
    fail('TRADING_INVALID_ORDER_CLASS', 'bracket orders require stop_loss.stop_price');
  if (cls === 'oco' && !(has.tp && has.sl))
    fail('TRADING_INVALID_ORDER_CLASS', 'oco orders require take_profit and stop_loss');
  if (cls === 'oco' && s.type !== 'limit')
    fail('TRADING_INVALID_ORDER_CLASS', 'oco orders must be of type limit');
  if (cls === 'oto' && has.tp === has.sl)
    fail('TRADING_INVALID_ORDER_CLASS', 'oto orders require exactly one of take_profit or stop_loss');
  if (cls !== 'oco' && s.type === 'trailing_stop')
    fail('TRADING_INVALID_ORDER_CLASS', `${cls} entries cannot be trailing stops`);
}

function parse(r: NewOrderRequest): OrderSpec {
  const symbol = typeof r.symbol === 'string' ? r.symbol.trim() : '';
  if (!SYMBOL.test(symbol)) fail('TRADING_INVALID_ORDER', `symbol ${JSON.stringify(r.symbol)} is not valid`);
  if (!ORDER_SIDES.includes(r.side))
    fail('TRADING_INVALID_ORDER', `side must be buy or sell, not ${String(r.side)}`);
  if (!ORDER_TYPES.includes(r.type)) fail('TRADING_INVALID_ORDER', `type ${String(r.type)} is not supported`);
  if (!TIME_IN_FORCES.includes(r.timeInForce))
    fail('TRADING_INVALID_TIME_IN_FORCE', `time_in_force ${String(r.timeInForce)} is not supported`);
  const orderClass: OrderClass = !r.orderClass ? 'simple' : r.orderClass;
  if (!ORDER_CLASSES.includes(orderClass))
    fail('TRADING_INVALID_ORDER_CLASS', `order_class ${String(r.orderClass)} is not supported`);
  const cid = r.clientOrderId ?? null;
  if (cid !== null && (cid.length === 0 || cid.length > MAX_CLIENT_ORDER_ID))
    fail('TRADING_INVALID_ORDER', `client_order_id must be 1–${MAX_CLIENT_ORDER_ID} characters`);
  const tp = r.takeProfit
    ? { limitPrice: decimal('take_profit.limit_price', r.takeProfit.limitPrice) }
    : null;
  const sl = r.stopLoss
    ? {
        stopPrice: decimal('stop_loss.stop_price', r.stopLoss.stopPrice),
        limitPrice: decimal('stop_loss.limit_price', r.stopLoss.limitPrice),
      }
    : null;
  if (tp && !tp.limitPrice) fail('TRADING_INVALID_ORDER_CLASS', 'take_profit requires limit_price');
  if (sl && !sl.stopPrice) fail('TRADING_INVALID_ORDER_CLASS', 'stop_loss requires stop_price');
  const spec = {
    symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.timeInForce,
    qty: decimal('qty', r.qty),
    notional: decimal('notional', r.notional),
    limitPrice: decimal('limit_price', r.limitPrice),
    stopPrice: decimal('stop_price', r.stopPrice),
    trailPrice: decimal('trail_price', r.trailPrice),
    trailPercent: decimal('trail_percent', r.trailPercent),
    extendedHours: r.extendedHours === true,
    clientOrderId: cid,
    orderClass,
    takeProfit: tp as { limitPrice: Money } | null,
    stopLoss: sl as { stopPrice: Money; limitPrice: Money | null } | null,
  };
  // OCO carries its limit in take_profit; the order itself is that take-profit.
  if (orderClass === 'oco' && r.type === 'limit' && tp && !spec.limitPrice) spec.limitPrice = tp.limitPrice;
  return spec;
}

function checkShape(s: OrderSpec): void {
  if ((s.qty === null) === (s.notional === null))
    fail('TRADING_INVALID_QTY', 'exactly one of qty or notional is required');
  if (s.qty && s.qty.decimalPlaces() > 9)
    fail('TRADING_INVALID_QTY', `qty ${s.qty} has more than 9 decimals`);
  if (s.notional && (s.type !== 'market' || s.timeInForce !== 'day'))
    fail(
      'TRADING_NOTIONAL_NOT_ALLOWED',
      `notional is only allowed for market day orders, not ${s.type} ${s.timeInForce}`,
    );
  if (s.notional && s.notional.decimalPlaces() > 2)
    fail('TRADING_INVALID_QTY', `notional ${s.notional} has more than 2 decimals`);
  if (s.qty && !s.qty.isInteger() && (s.type !== 'market' || s.timeInForce !== 'day'))
    fail(
      'TRADING_FRACTIONAL_NOT_ALLOWED',
      `fractional qty is only allowed for market day orders, not ${s.type} ${s.timeInForce}`,
    );
  const needsLimit = s.type === 'limit' || s.type === 'stop_limit';
  const needsStop = s.type === 'stop' || s.type === 'stop_limit';
  if (needsLimit && !s.limitPrice)
    fail('TRADING_LIMIT_PRICE_REQUIRED', `${s.type} orders require limit_price`);
  if (needsStop && !s.stopPrice) fail('TRADING_STOP_PRICE_REQUIRED', `${s.type} orders require stop_price`);
  if (!needsLimit && s.limitPrice)
    fail('TRADING_PRICE_NOT_ALLOWED', `limit_price is not allowed for ${s.type} orders`);
  if (!needsStop && s.stopPrice)
    fail('TRADING_PRICE_NOT_ALLOWED', `stop_price is not allowed for ${s.type} orders`);
  if (s.type === 'trailing_stop') {
    if ((s.trailPrice === null) === (s.trailPercent === null))
      fail(
        'TRADING_TRAIL_REQUIRED',
        'trailing_stop orders require exactly one of trail_price or trail_percent',
      );
    if (s.trailPercent && s.trailPercent.gte(100))
      fail('TRADING_INVALID_ORDER', 'trail_percent must be below 100');
    if (s.timeInForce !== 'day' && s.timeInForce !== 'gtc')
      fail('TRADING_INVALID_TIME_IN_FORCE', `trailing_stop orders must be day or gtc, not ${s.timeInForce}`);
  } else if (s.trailPrice || s.trailPercent) {
    fail('TRADING_PRICE_NOT_ALLOWED', `trail_price and trail_percent are only for trailing_stop orders`);
  }
  if (s.extendedHours && (s.type !== 'limit' || s.timeInForce !== 'day'))
    fail(
      'TRADING_EXTENDED_HOURS_NOT_ALLOWED',
      `extended_hours is only allowed for limit day orders, not ${s.type} ${s.timeInForce}`,
    );
  increment('limit_price', s.limitPrice);
  increment('stop_price', s.stopPrice);
  increment('trail_price', s.trailPrice);
  increment('take_profit.limit_price', s.takeProfit?.limitPrice ?? null);
  increment('stop_loss.stop_price', s.stopLoss?.stopPrice ?? null);
  increment('stop_loss.limit_price', s.stopLoss?.limitPrice ?? null);
}

/** Checks a new-order request against Alpaca's rules; the refusal names the first rule broken. */
export function validateOrder(request: NewOrderRequest): Checked<OrderSpec> {
  try {
    const spec = parse(request);
    checkShape(spec);
    checkClass(spec.orderClass, spec);
    if (spec.orderClass !== 'simple') checkLegs(spec, spec);
    return { ok: true, value: spec };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, refusal: error.refusal };
    throw error;
  }
}
