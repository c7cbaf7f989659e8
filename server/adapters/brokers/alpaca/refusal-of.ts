import { DomainError } from '../../../../core/kernel/index.js';
import { AlpacaApiError } from './trading-rest-client.js';

/** Alpaca's refusal messages (and the paper broker's wording of the same rules) → Pulse's TRADING_* codes. */
const BY_MESSAGE: ReadonlyArray<readonly [RegExp, string]> = [
  [/client_order_id must be unique/i, 'TRADING_CLIENT_ORDER_ID_CONFLICT'],
  [/sub-penny increment/i, 'TRADING_SUB_PENNY_PRICE'],
  [
    /require[sd]? limit_price|limit_price is required|limit price is required/i,
    'TRADING_LIMIT_PRICE_REQUIRED',
  ],
  [/require[sd]? stop_price|stop_price is required|stop price is required/i, 'TRADING_STOP_PRICE_REQUIRED'],
  [/trail_price or trail_percent/i, 'TRADING_TRAIL_REQUIRED'],
  [/must (not )?be (above|below|at least)/i, 'TRADING_INVALID_LEG_PRICE'],
  [/take_profit|stop_loss|bracket orders|oco orders|oto orders/i, 'TRADING_INVALID_ORDER_CLASS'],
  [/fractional/i, 'TRADING_FRACTIONAL_NOT_ALLOWED'],
  [/notional/i, 'TRADING_NOTIONAL_NOT_ALLOWED'],
  [/extended.hours/i, 'TRADING_EXTENDED_HOURS_NOT_ALLOWED'],
  [/time_in_force/i, 'TRADING_INVALID_TIME_IN_FORCE'],
  [/insufficient buying power/i, 'TRADING_INSUFFICIENT_BUYING_POWER'],
  [/pattern day/i, 'TRADING_PATTERN_DAY_TRADER'],
  [/short/i, 'TRADING_SHORT_SELL_NOT_ALLOWED'],
  [/position does not exist/i, 'TRADING_POSITION_NOT_FOUND'],
  [/order not found/i, 'TRADING_ORDER_NOT_FOUND'],
];

/** What an operation's refusals mean when the message is not recognised. */
export type RefusalFallback = {
  /** 422 from this call (e.g. cancel → TRADING_ORDER_NOT_CANCELABLE). */
  readonly unprocessable: string;
  /** 403 from this call. */
  readonly forbidden?: string;
};

/**
 * Turns Alpaca's answer to a refused call into the DomainError core expects: by message where Alpaca's
 * wording is known, else by the call's fallback for the status. Other errors pass through unchanged.
 */
export function refusalOf(error: unknown, fallback: RefusalFallback): unknown {
  if (!(error instanceof AlpacaApiError)) return error;
  if (error.status !== 403 && error.status !== 404 && error.status !== 422 && error.status !== 400)
    return error;
  const details = { status: error.status, alpacaCode: error.code };
  // Cancel/replace refusals name the order's state; they are about the order, not the request.
  if (/is already in "|not (cancelable|replaceable)|pending_(cancel|replace)/i.test(error.message))
    return new DomainError(fallback.unprocessable, error.message, details);
  const known = BY_MESSAGE.find(([pattern]) => pattern.test(error.message));
  if (known) return new DomainError(known[1], error.message, details);
  if (error.status === 404) return new DomainError('TRADING_ORDER_NOT_FOUND', error.message, details);
  if (error.status === 403)
    return new DomainError(fallback.forbidden ?? 'TRADING_INSUFFICIENT_BUYING_POWER', error.message, details);
  return new DomainError(fallback.unprocessable, error.message, details);
}
