import { fixedFromPrice, mulFixed, parseFixed, subFixed, type Fixed } from './fixed-decimal.js';
import type { OrderDraft } from './order-draft.js';

/** The latest market prices of the ticket's symbol (display floats from the quote feed). */
export interface TicketQuote {
  bid: number | null;
  ask: number | null;
  last: number | null;
}

/** What an order would cost, and what it leaves of the buying power. */
export interface OrderEstimate {
  /** The price the estimate assumes, and where it came from. */
  price: Fixed | null;
  basis: 'ask' | 'bid' | 'last' | 'limit' | 'stop' | 'notional' | null;
  /** Estimated value of the order (qty × price, or the notional). */
  cost: Fixed | null;
  /** Buying power after a buy fills at the estimate (a sell does not use buying power). */
  buyingPowerAfter: Fixed | null;
  /** True when a buy's estimated cost is more than the buying power. */
  exceedsBuyingPower: boolean;
}

function priceOf(d: OrderDraft, quote: TicketQuote): Pick<OrderEstimate, 'price' | 'basis'> {
  const limit = parseFixed(d.limitPrice);
  const stop = parseFixed(d.stopPrice);
  if ((d.type === 'limit' || d.type === 'stop_limit') && limit !== null)
    return { price: limit, basis: 'limit' };
  if (d.type === 'stop' && stop !== null) return { price: stop, basis: 'stop' };
  // A market buy pays the ask and a sell gets the bid; the last trade stands in when there is no quote.
  const side = d.side === 'buy' ? quote.ask : quote.bid;
  if ((d.type === 'market' || d.type === 'trailing_stop') && side !== null && side > 0)
    return { price: fixedFromPrice(side), basis: d.side === 'buy' ? 'ask' : 'bid' };
  if (quote.last !== null && quote.last > 0) return { price: fixedFromPrice(quote.last), basis: 'last' };
  return { price: null, basis: null };
}

/** Estimates a draft's cost: qty × ask (or bid, or the limit/stop price), or its notional. */
export function estimateOrder(d: OrderDraft, quote: TicketQuote, buyingPower: string | null): OrderEstimate {
  let { price, basis } = priceOf(d, quote);
  let cost: Fixed | null = null;
  if (d.amountKind === 'notional') {
    cost = parseFixed(d.notional);
    basis = cost === null ? basis : 'notional';
  } else {
    const qty = parseFixed(d.qty);
    cost = qty !== null && price !== null ? mulFixed(qty, price) : null;
  }
  if (basis === 'notional') price = null;
  const power = buyingPower === null ? null : parseFixed(buyingPower);
  const after = d.side === 'buy' && cost !== null && power !== null ? subFixed(power, cost) : null;
  return { price, basis, cost, buyingPowerAfter: after, exceedsBuyingPower: after !== null && after < 0n };
}
