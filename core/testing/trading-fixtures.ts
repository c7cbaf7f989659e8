import type { Quote, Trade } from '../market-data/index.js';
import { dayNumber, nyWallToUtc } from '../market-data/index.js';
import { createOrders } from '../trading/create-order.js';
import type { Order } from '../trading/order.js';
import type { NewOrderRequest } from '../trading/order-request.js';
import { validateOrder } from '../trading/validate-order.js';

/** UTC ms of a New York wall time: `at('2024-03-12', '09:30')`. */
export function at(date: string, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return nyWallToUtc(dayNumber(date), (h ?? 0) * 60 + (m ?? 0));
}

/** A quote with float64 prices, as market data delivers it (sizes in shares). */
export function quoteOf(
  symbol: string,
  t: number,
  bid: number,
  ask: number,
  bidSize = 100,
  askSize = 100,
): Quote {
  return {
    symbol,
    t,
    bidPrice: bid,
    askPrice: ask,
    bidSize,
    askSize,
    bidExchange: 'V',
    askExchange: 'V',
    conditions: [],
    tape: 'C',
  };
}

let tradeId = 0;
/** A trade print. */
export function tradeOf(symbol: string, t: number, price: number, size = 100): Trade {
  return { symbol, t, price, size, id: ++tradeId, exchange: 'V', conditions: [], tape: 'C' };
}

/** Validates a request and builds its order group with ids `id`, `id-leg1`, …; throws on a refusal. */
export function ordersOf(request: NewOrderRequest, id: string, t: number): Order[] {
  const checked = validateOrder(request);
  if (!checked.ok) throw new Error(`${checked.refusal.code}: ${checked.refusal.message}`);
  let n = 0;
  return createOrders(
    checked.value,
    { id, clientOrderId: request.clientOrderId ?? id, newId: () => `${id}-leg${++n}` },
    t,
  );
}
