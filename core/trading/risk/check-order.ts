import { Money } from '../../kernel/index.js';
import type { AccountSnapshot } from '../account/account-ledger.js';
import { canExecute } from '../matching/session-rules.js';
import type { Order } from '../order.js';
import type { OrderSpec } from '../order-request.js';
import { type Refusal, refuse } from '../refusal.js';
import type { RiskLimits } from './risk-limits.js';

/** What the guards need to know about the account and market when an order arrives. */
export interface RiskContext {
  readonly now: number;
  readonly account: AccountSnapshot;
  /** Signed position in the order's symbol. */
  readonly position: Money;
  /** The price to value market and trailing orders: the ask for buys, the bid for sells (null if no quote). */
  readonly referencePrice: Money | null;
  /** The account's open orders (their opening value holds buying power). */
  readonly openOrders: readonly Order[];
  /** Orders submitted recently, for duplicate suppression. */
  readonly recentOrders: readonly Order[];
  /** Closing exposure in this symbol now would be a day trade. */
  readonly wouldDayTrade: boolean;
}

const usd = (m: Money) => `$${m.toFixed(2)}`;

/** The price an order is valued at: its limit, else its stop, else the reference price. */
export function valuationPrice(
  o: Pick<OrderSpec, 'limitPrice' | 'stopPrice' | 'type'>,
  reference: Money | null,
): Money | null {
  if (o.type === 'trailing_stop') return reference;
  return o.limitPrice ?? o.stopPrice ?? reference;
}

function sameOrder(a: OrderSpec, b: Order): boolean {
  const eq = (x: Money | null, y: Money | null) => (x === null ? y === null : y !== null && x.eq(y));
  return (
    a.symbol === b.symbol &&
    a.side === b.side &&
    a.type === b.type &&
    eq(a.qty, b.qty) &&
    eq(a.notional, b.notional) &&
    eq(a.limitPrice, b.limitPrice) &&
    eq(a.stopPrice, b.stopPrice)
  );
}

/** Value held by open entry orders: their unfilled qty at their valuation price (legs hold nothing extra). */
export function reservedBuyingPower(
  openOrders: readonly Order[],
  reference: (symbol: string) => Money | null,
): Money {
  // Asked for every new order over every open one: each symbol's reference price is looked up once, and
  // an order valued at its own limit or stop (immutable: a changed order is a new object) is valued once.
  const references = new Map<string, Money | null>();
  const referenceOf = (symbol: string) => {
    let price = references.get(symbol);
    if (price === undefined) references.set(symbol, (price = reference(symbol)));
    return price;
  };
  let total = new Money(0);
  for (const o of openOrders) {
    if (o.parentId !== null || o.side !== 'buy') continue;
    if (o.notional) total = total.plus(o.notional);
    if (!o.qty) continue;
    const own = o.type === 'trailing_stop' ? null : (o.limitPrice ?? o.stopPrice);
    if (own) {
      let held = heldByOwnPrice.get(o);
      if (held === undefined) heldByOwnPrice.set(o, (held = o.qty.minus(o.filledQty).times(own)));
      total = total.plus(held);
      continue;
    }
    const price = valuationPrice(o, referenceOf(o.symbol));
    if (price) total = total.plus(o.qty.minus(o.filledQty).times(price));
  }
  return total;
}

const heldByOwnPrice = new WeakMap<Order, Money>();

/**
 * Runs every guard on a validated order; returns the first refusal (stable TRADING_* code and a reason
 * naming the limit and the value) or null. Orders that only reduce a position pass the loss and size limits.
 */
export function checkOrder(
  spec: OrderSpec,
  ctx: RiskContext,
  limits: RiskLimits,
  reserved: Money,
): Refusal | null {
  if (limits.killSwitch)
    return refuse('TRADING_KILL_SWITCH_ACTIVE', 'the kill switch is on: new orders are refused');
  if (
    limits.denySymbols.includes(spec.symbol) ||
    (limits.allowSymbols && !limits.allowSymbols.includes(spec.symbol))
  )
    return refuse('TRADING_SYMBOL_NOT_ALLOWED', `${spec.symbol} is not allowed by the symbol list`, {
      symbol: spec.symbol,
    });
  const auction = spec.timeInForce === 'opg' || spec.timeInForce === 'cls';
  if (limits.outsideHours === 'refuse' && !auction && !canExecute(spec, ctx.now))
    return refuse(
      'TRADING_MARKET_CLOSED',
      `the market is closed for ${spec.extendedHours ? 'extended-hours' : 'regular-hours'} orders`,
    );
  if (limits.duplicateWindowMs > 0) {
    const since = ctx.now - limits.duplicateWindowMs;
    const dup = ctx.recentOrders.find(
      (o) => o.submittedAt >= since && o.parentId === null && sameOrder(spec, o),
    );
    if (dup)
      return refuse(
        'TRADING_DUPLICATE_ORDER',
        `an identical order (${dup.id}) was submitted within the last ${limits.duplicateWindowMs / 1000} s`,
        { duplicateOf: dup.id },
      );
  }
  const price = valuationPrice(spec, ctx.referencePrice);
  if (!price)
    return refuse('TRADING_NO_MARKET_PRICE', `no quote for ${spec.symbol} to value the order`, {
      symbol: spec.symbol,
    });
  const qty = spec.qty ?? (spec.notional ?? new Money(0)).dividedBy(price);
  const value = spec.notional ?? qty.times(price);
  const signed = spec.side === 'buy' ? qty : qty.negated();
  const after = ctx.position.plus(signed);
  const sameSide = after.isZero() || after.isNegative() === ctx.position.isNegative();
  const reduces = !ctx.position.isZero() && sameSide && after.abs().lt(ctx.position.abs());
  const dayPl = ctx.account.equity.minus(ctx.account.lastEquity);
  if (!reduces && limits.dailyLossLimit && dayPl.lte(limits.dailyLossLimit.negated()))
    return refuse(
      'TRADING_DAILY_LOSS_LIMIT',
      `today's P&L ${usd(dayPl)} has reached the daily loss limit of ${usd(limits.dailyLossLimit)}`,
      { dayPl: dayPl.toString() },
    );
  if (limits.maxOrderNotional && value.gt(limits.maxOrderNotional))
    return refuse(
      'TRADING_MAX_NOTIONAL_EXCEEDED',
      `order notional ${usd(value)} exceeds the limit of ${usd(limits.maxOrderNotional)}`,
      { notional: value.toString() },
    );
  if (!reduces && limits.maxPositionQty && after.abs().gt(limits.maxPositionQty))
    return refuse(
      'TRADING_MAX_POSITION_EXCEEDED',
      `position of ${after.abs()} shares would exceed the limit of ${limits.maxPositionQty} shares`,
      { qty: after.toString() },
    );
  if (!reduces && limits.maxPositionNotional && after.abs().times(price).gt(limits.maxPositionNotional))
    return refuse(
      'TRADING_MAX_POSITION_EXCEEDED',
      `position of ${usd(after.abs().times(price))} would exceed the limit of ${usd(limits.maxPositionNotional)}`,
      { notional: after.abs().times(price).toString() },
    );
  const pendingSells = ctx.openOrders
    .filter((o) => o.symbol === spec.symbol && o.side === 'sell' && o.parentId === null)
    .reduce((s, o) => s.plus((o.qty ?? new Money(0)).minus(o.filledQty)), new Money(0));
  const shorting = spec.side === 'sell' && qty.gt(Money.max(0, ctx.position.minus(pendingSells)));
  if (shorting && !ctx.account.shortingEnabled)
    return refuse(
      'TRADING_SHORT_SELL_NOT_ALLOWED',
      `selling ${qty} ${spec.symbol} would open a short position, which needs a margin account`,
      { available: Money.max(0, ctx.position.minus(pendingSells)).toString() },
    );
  if (shorting && !qty.isInteger())
    return refuse('TRADING_SHORT_SELL_NOT_ALLOWED', `fractional short sales are not allowed (qty ${qty})`);
  if (
    ctx.wouldDayTrade &&
    !after.abs().gt(ctx.position.abs()) &&
    ctx.account.kind === 'margin' &&
    ctx.account.daytradeCount >= 3 &&
    ctx.account.equity.lt(25_000)
  )
    return refuse(
      'TRADING_PATTERN_DAY_TRADER',
      `this would be day trade number ${ctx.account.daytradeCount + 1} in five days with equity ${usd(ctx.account.equity)} below $25,000`,
    );
  const opening =
    spec.side === 'buy'
      ? Money.max(0, qty.minus(Money.max(0, ctx.position.negated())))
      : Money.max(0, qty.minus(Money.max(0, ctx.position)));
  const cost = spec.notional && opening.eq(qty) ? spec.notional : opening.times(price);
  if (cost.gt(0) && cost.plus(reserved).gt(ctx.account.buyingPower))
    return refuse(
      'TRADING_INSUFFICIENT_BUYING_POWER',
      `insufficient buying power: the order needs ${usd(cost)}, ${usd(Money.max(0, ctx.account.buyingPower.minus(reserved)))} is available`,
      { cost: cost.toString(), buyingPower: ctx.account.buyingPower.toString() },
    );
  return null;
}
