import type { NewOrderBody } from '../../../contracts/trading.js';

/** Order types the ticket offers, with their labels. */
export const ORDER_TYPES = [
  { value: 'market', label: 'Market' },
  { value: 'limit', label: 'Limit' },
  { value: 'stop', label: 'Stop' },
  { value: 'stop_limit', label: 'Stop limit' },
  { value: 'trailing_stop', label: 'Trailing stop' },
] as const;

/** Times in force the ticket offers, with their labels. */
export const TIMES_IN_FORCE = [
  { value: 'day', label: 'Day' },
  { value: 'gtc', label: 'Good till canceled' },
  { value: 'opg', label: 'Market on open' },
  { value: 'cls', label: 'Market on close' },
  { value: 'ioc', label: 'Immediate or cancel' },
  { value: 'fok', label: 'Fill or kill' },
] as const;

/** An order type. */
export type OrderType = (typeof ORDER_TYPES)[number]['value'];
/** A time in force. */
export type TimeInForce = (typeof TIMES_IN_FORCE)[number]['value'];

/** The order ticket's state: every input as the text the user typed. */
export interface OrderDraft {
  symbol: string;
  side: 'buy' | 'sell';
  /** Shares (`qty`) or dollars (`notional`). */
  amountKind: 'qty' | 'notional';
  qty: string;
  notional: string;
  type: OrderType;
  timeInForce: TimeInForce;
  limitPrice: string;
  stopPrice: string;
  /** A trailing stop trails by dollars (`trail_price`) or percent (`trail_percent`): exactly one. */
  trailKind: 'price' | 'percent';
  trail: string;
  extendedHours: boolean;
  bracket: boolean;
  takeProfit: string;
  stopLoss: string;
  stopLossLimit: string;
}

/** A fresh ticket: a market day buy of shares. */
export function emptyDraft(symbol: string): OrderDraft {
  return {
    symbol,
    side: 'buy',
    amountKind: 'qty',
    qty: '',
    notional: '',
    type: 'market',
    timeInForce: 'day',
    limitPrice: '',
    stopPrice: '',
    trailKind: 'price',
    trail: '',
    extendedHours: false,
    bracket: false,
    takeProfit: '',
    stopLoss: '',
    stopLossLimit: '',
  };
}

/** Which optional inputs the ticket shows for a draft: only those its type and time in force use. */
export function relevantFields(d: OrderDraft) {
  return {
    limitPrice: d.type === 'limit' || d.type === 'stop_limit',
    stopPrice: d.type === 'stop' || d.type === 'stop_limit',
    trail: d.type === 'trailing_stop',
    extendedHours: d.type === 'limit' && d.timeInForce === 'day',
    bracket: d.type !== 'trailing_stop',
    bracketLegs: d.bracket && d.type !== 'trailing_stop',
  };
}

/** The POST /api/v1/orders body for a draft (validate it first): only the relevant fields are sent. */
export function toOrderBody(d: OrderDraft, clientOrderId?: string): NewOrderBody {
  const show = relevantFields(d);
  const body: NewOrderBody = {
    symbol: d.symbol.trim().toUpperCase(),
    side: d.side,
    type: d.type,
    time_in_force: d.timeInForce,
  };
  if (d.amountKind === 'qty') body.qty = d.qty.trim();
  else body.notional = d.notional.trim();
  if (show.limitPrice) body.limit_price = d.limitPrice.trim();
  if (show.stopPrice) body.stop_price = d.stopPrice.trim();
  if (show.trail) {
    if (d.trailKind === 'price') body.trail_price = d.trail.trim();
    else body.trail_percent = d.trail.trim();
  }
  if (show.extendedHours && d.extendedHours) body.extended_hours = true;
  if (show.bracketLegs) {
    body.order_class = 'bracket';
    body.take_profit = { limit_price: d.takeProfit.trim() };
    body.stop_loss = { stop_price: d.stopLoss.trim() };
    if (d.stopLossLimit.trim() !== '') body.stop_loss.limit_price = d.stopLossLimit.trim();
  }
  if (clientOrderId !== undefined) body.client_order_id = clientOrderId;
  return body;
}

/** A one-line summary for the confirm step: `Buy 10 AAPL · Limit 180.00 · Day`, `… · Stop limit 9.50 / 9.40 · …`. */
export function describeDraft(d: OrderDraft): string {
  const show = relevantFields(d);
  const symbol = d.symbol.trim().toUpperCase();
  const amount = d.amountKind === 'qty' ? `${d.qty.trim()} ${symbol}` : `$${d.notional.trim()} of ${symbol}`;
  const type = ORDER_TYPES.find((t) => t.value === d.type)?.label ?? d.type;
  const trail = d.trailKind === 'price' ? `$${d.trail.trim()}` : `${d.trail.trim()}%`;
  const prices = [
    show.stopPrice ? d.stopPrice.trim() : null,
    show.limitPrice ? d.limitPrice.trim() : null,
    show.trail ? trail : null,
  ].filter((p): p is string => p !== null);
  const tif = TIMES_IN_FORCE.find((t) => t.value === d.timeInForce)?.label ?? d.timeInForce;
  const parts = [
    `${d.side === 'buy' ? 'Buy' : 'Sell'} ${amount}`,
    [type, prices.join(' / ')].join(' ').trim(),
    tif,
  ];
  if (show.extendedHours && d.extendedHours) parts.push('extended hours');
  if (show.bracketLegs) {
    const limit = d.stopLossLimit.trim() === '' ? '' : ` (limit ${d.stopLossLimit.trim()})`;
    parts.push(`take profit ${d.takeProfit.trim()}, stop loss ${d.stopLoss.trim()}${limit}`);
  }
  return parts.join(' · ');
}
