import { CENT, addFixed, decimalPlaces, isWhole, parseFixed, subFixed, type Fixed } from './fixed-decimal.js';
import { relevantFields, type OrderDraft } from './order-draft.js';

/** The inputs a validation message can be tied to. */
export type DraftField =
  | 'symbol'
  | 'qty'
  | 'notional'
  | 'timeInForce'
  | 'limitPrice'
  | 'stopPrice'
  | 'trail'
  | 'takeProfit'
  | 'stopLoss'
  | 'stopLossLimit';

/** Messages by input; an empty object means the draft may be sent. */
export type DraftErrors = Partial<Record<DraftField, string>>;

const SYMBOL = /^[A-Z][A-Z0-9.]{0,15}$/;
const HUNDRED = parseFixed('100') as Fixed;
const ONE = parseFixed('1') as Fixed;

/** A positive decimal, or the message explaining why the text is not one. */
function positive(label: string, text: string, maxPlaces = 9): Fixed | string {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter ${label}.`;
  if (decimalPlaces(trimmed) > maxPlaces) return `${cap(label)} can have at most ${maxPlaces} decimals.`;
  const value = parseFixed(trimmed);
  if (value === null) return `${cap(label)} must be a number, like 12.5.`;
  if (value <= 0n) return `${cap(label)} must be greater than 0.`;
  return value;
}

/** A price on Alpaca's grid: whole cents from $1, hundredths of a cent below. */
function price(label: string, text: string): Fixed | string {
  const value = positive(label, text);
  if (typeof value === 'string') return value;
  const places = decimalPlaces(text.trim());
  if (value >= ONE ? places > 2 : places > 4)
    return `${cap(label)} must be in whole cents (4 decimals below $1).`;
  return value;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Checks a ticket against the server's order rules (core/trading/validate-order.ts), reporting
 * every broken rule on the input it concerns, so the user can fix them as they type.
 */
export function validateDraft(d: OrderDraft): DraftErrors {
  const errors: DraftErrors = {};
  const show = relevantFields(d);
  const set = (field: DraftField, result: Fixed | string): Fixed | null => {
    if (typeof result === 'string') {
      errors[field] ??= result;
      return null;
    }
    return result;
  };
  const marketDay = d.type === 'market' && d.timeInForce === 'day';

  if (!SYMBOL.test(d.symbol.trim().toUpperCase())) errors.symbol = 'Choose a symbol, like AAPL.';

  if (d.amountKind === 'qty') {
    const qty = set('qty', positive('a quantity', d.qty));
    if (qty !== null && !isWhole(qty) && !marketDay)
      errors.qty = 'Fractional shares need a market order with time in force Day.';
    if (qty !== null && !isWhole(qty) && show.bracketLegs) errors.qty = 'Bracket orders need whole shares.';
  } else {
    set('notional', positive('an amount in dollars', d.notional, 2));
    if (!marketDay) errors.notional ??= 'Dollar amounts need a market order with time in force Day.';
    if (show.bracketLegs) errors.notional ??= 'Bracket orders need a quantity of shares, not dollars.';
  }

  if (d.type === 'trailing_stop' && d.timeInForce !== 'day' && d.timeInForce !== 'gtc')
    errors.timeInForce = 'Trailing stops must be Day or Good till canceled.';
  if (show.bracketLegs && d.timeInForce !== 'day' && d.timeInForce !== 'gtc')
    errors.timeInForce = 'Bracket orders must be Day or Good till canceled.';

  const limit = show.limitPrice ? set('limitPrice', price('a limit price', d.limitPrice)) : null;
  if (show.stopPrice) set('stopPrice', price('a stop price', d.stopPrice));
  if (show.trail) {
    const trail =
      d.trailKind === 'price'
        ? set('trail', price('a trail amount', d.trail))
        : set('trail', positive('a trail percent', d.trail));
    if (trail !== null && d.trailKind === 'percent' && trail >= HUNDRED)
      errors.trail = 'Trail percent must be below 100.';
  }

  if (show.bracketLegs) {
    if (show.extendedHours && d.extendedHours)
      errors.takeProfit = 'Bracket orders cannot trade in extended hours.';
    const tp = set('takeProfit', price('a take-profit price', d.takeProfit));
    const sl = set('stopLoss', price('a stop-loss price', d.stopLoss));
    const slLimit =
      d.stopLossLimit.trim() === ''
        ? null
        : set('stopLossLimit', price('a stop-loss limit', d.stopLossLimit));
    // A buy exits by selling: take profit above, stop loss below (both reversed for a sell).
    const buy = d.side === 'buy';
    const word = buy ? 'above' : 'below';
    const apart = (high: Fixed, low: Fixed): boolean =>
      buy ? high >= addFixed(low, CENT) : high <= subFixed(low, CENT);
    if (tp !== null && sl !== null && !apart(tp, sl))
      errors.takeProfit ??= `Take profit must be ${word} the stop loss for a ${d.side}.`;
    if (tp !== null && limit !== null && !apart(tp, limit))
      errors.takeProfit ??= `Take profit must be ${word} the limit price for a ${d.side}.`;
    if (sl !== null && limit !== null && !apart(limit, sl))
      errors.stopLoss ??= `Stop loss must be ${buy ? 'below' : 'above'} the limit price for a ${d.side}.`;
    if (sl !== null && slLimit !== null && (buy ? slLimit > sl : slLimit < sl))
      errors.stopLossLimit ??= `The stop-loss limit must not be ${word} the stop loss for a ${d.side}.`;
  }
  return errors;
}
