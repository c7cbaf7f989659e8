import type { ErrorSpec } from './spec.js';

/** Trading errors: order validation (Alpaca's 422 rules), order actions, and risk guards (403). */
export const TRADING_ERRORS = {
  TRADING_INVALID_ORDER: {
    status: 422,
    description:
      'The order request is malformed (symbol, side, type or a decimal field); `message` names the field.',
  },
  TRADING_INVALID_QTY: {
    status: 422,
    description:
      'Exactly one of qty or notional is required, qty has at most 9 decimals and notional at most 2.',
  },
  TRADING_FRACTIONAL_NOT_ALLOWED: {
    status: 422,
    description: 'Fractional qty is only allowed for simple market orders with time_in_force day.',
  },
  TRADING_NOTIONAL_NOT_ALLOWED: {
    status: 422,
    description: 'notional is only allowed for simple market orders with time_in_force day.',
  },
  TRADING_LIMIT_PRICE_REQUIRED: {
    status: 422,
    description: 'limit and stop_limit orders require limit_price.',
  },
  TRADING_STOP_PRICE_REQUIRED: { status: 422, description: 'stop and stop_limit orders require stop_price.' },
  TRADING_TRAIL_REQUIRED: {
    status: 422,
    description: 'trailing_stop orders require exactly one of trail_price or trail_percent.',
  },
  TRADING_PRICE_NOT_ALLOWED: {
    status: 422,
    description:
      'A price field was given that the order type does not use (e.g. limit_price on a market order).',
  },
  TRADING_SUB_PENNY_PRICE: {
    status: 422,
    description: 'A price has more decimals than allowed: 2 at or above $1.00, 4 below.',
  },
  TRADING_INVALID_TIME_IN_FORCE: {
    status: 422,
    description:
      'The time_in_force is not allowed for this order, or opg/cls was sent inside its closed window.',
  },
  TRADING_EXTENDED_HOURS_NOT_ALLOWED: {
    status: 422,
    description: 'extended_hours is only allowed for simple limit orders with time_in_force day.',
  },
  TRADING_INVALID_ORDER_CLASS: {
    status: 422,
    description:
      'The order class is missing a leg or has one it does not take (bracket needs both, oto one, oco is a limit).',
  },
  TRADING_INVALID_LEG_PRICE: {
    status: 422,
    description: 'A take-profit or stop-loss price is on the wrong side of the entry or of the other leg.',
  },
  TRADING_CLIENT_ORDER_ID_CONFLICT: {
    status: 422,
    description: 'client_order_id must be unique: it is already used by a different order.',
  },
  TRADING_ORDER_NOT_FOUND: { status: 404, description: 'No order has this id.' },
  TRADING_ORDER_QUEUE_FULL: {
    status: 429,
    description:
      'Too many orders of this account are waiting to be placed (1,000); nothing was placed: retry shortly.',
  },
  TRADING_UNKNOWN_SYMBOL: {
    status: 422,
    description: 'The order names a symbol the market data source does not carry.',
  },
  TRADING_POSITION_NOT_FOUND: { status: 404, description: 'The account holds no position in this symbol.' },
  TRADING_ORDER_NOT_CANCELABLE: {
    status: 422,
    description: 'The order is already filled, canceled, expired, replaced or rejected.',
  },
  TRADING_ORDER_NOT_REPLACEABLE: {
    status: 422,
    description: 'The order cannot be replaced now (accepted, pending, finished, or a notional order).',
  },
  TRADING_ILLEGAL_TRANSITION: {
    status: 409,
    description: 'The order lifecycle does not allow this status change.',
  },
  TRADING_KILL_SWITCH_ACTIVE: {
    status: 403,
    description: 'The kill switch is on: every new order is refused.',
  },
  TRADING_SYMBOL_NOT_ALLOWED: {
    status: 403,
    description: 'The symbol is on the deny list or not on the allow list.',
  },
  TRADING_MARKET_CLOSED: {
    status: 403,
    description: 'The market is closed for this order and the configuration refuses orders outside hours.',
  },
  TRADING_DUPLICATE_ORDER: {
    status: 409,
    description:
      'An identical order (symbol, side, qty, type, prices) was submitted within the duplicate window.',
  },
  TRADING_DAILY_LOSS_LIMIT: {
    status: 403,
    description:
      "Today's P&L has reached the daily loss limit; only orders that reduce a position are accepted.",
  },
  TRADING_MAX_NOTIONAL_EXCEEDED: {
    status: 403,
    description: 'The order value exceeds the maximum order notional.',
  },
  TRADING_MAX_POSITION_EXCEEDED: {
    status: 403,
    description: 'The position after the order would exceed the maximum position (shares or dollars).',
  },
  TRADING_NO_MARKET_PRICE: {
    status: 422,
    description: 'There is no quote for the symbol to value a market or trailing order.',
  },
  TRADING_SHORT_SELL_NOT_ALLOWED: {
    status: 403,
    description: 'The sale would open a short position: it needs a margin account and a whole-share qty.',
  },
  TRADING_PATTERN_DAY_TRADER: {
    status: 403,
    description: 'The order would be a 4th day trade in five trading days with equity below $25,000.',
  },
  TRADING_INSUFFICIENT_BUYING_POWER: {
    status: 403,
    description: 'The order costs more than the buying power left after open orders.',
  },
  TRADING_BROKER_KEYS_MISSING: {
    status: 409,
    description:
      'The Alpaca account was chosen (or is in use) but no Alpaca keys are saved: save them in Settings first.',
  },
  TRADING_BROKER_UNSUPPORTED: {
    status: 409,
    description:
      'The operation exists only for the paper simulator (fill model, activities, portfolio history), not for an Alpaca account.',
  },
  TRADING_BROKER_UNAVAILABLE: {
    status: 502,
    description:
      'Alpaca did not answer, or refused the saved keys; nothing is known to have changed: retry, or check the keys.',
  },
} as const satisfies Record<string, ErrorSpec>;
