import {
  exchangeDay,
  nextClose,
  nyWallToUtc,
  phaseAt,
  sessionAtOrBefore,
  sessionOnDay,
} from '../../market-data/index.js';
import type { Order } from '../order.js';
import { type Refusal, refuse } from '../refusal.js';

// The engine asks for the phase of one instant once per open order of a symbol: remember the last answer.
let lastT = Number.NaN;
let lastPhase: ReturnType<typeof phaseAt> = 'closed';
/** `phaseAt(t)`, remembering the last instant asked (the engine asks once per open order per event). */
export function phaseOf(t: number): ReturnType<typeof phaseAt> {
  if (t !== lastT) {
    lastPhase = phaseAt(t);
    lastT = t;
  }
  return lastPhase;
}

/** True when `order` may execute at instant `t`: regular hours, or 04:00–20:00 ET for extended-hours orders. */
export function canExecute(order: Pick<Order, 'extendedHours'>, t: number): boolean {
  const phase = phaseOf(t);
  return phase === 'regular' || (order.extendedHours && (phase === 'pre' || phase === 'post'));
}

/** When an order placed at `t` stops working: the close (day/opg/cls), 20:00 ET for extended-hours day orders, never for gtc. */
export function expiryOf(order: Pick<Order, 'timeInForce' | 'extendedHours'>, t: number): number | null {
  if (order.timeInForce === 'gtc' || order.timeInForce === 'ioc' || order.timeInForce === 'fok') return null;
  if (!order.extendedHours) return nextClose(t);
  const today = sessionAtOrBefore(t);
  if (today && today.postClose > t) return today.postClose;
  const next = sessionOnDay(exchangeDay(nextClose(t)));
  return next ? next.postClose : nextClose(t);
}

/** Alpaca's submission windows: opg is refused 09:28–19:00 ET and cls 15:50–19:00 ET on trading days. */
export function timeInForceWindowRefusal(order: Pick<Order, 'timeInForce'>, t: number): Refusal | null {
  if (order.timeInForce !== 'opg' && order.timeInForce !== 'cls') return null;
  const day = exchangeDay(t);
  const session = sessionOnDay(day);
  if (!session) return null;
  const evening = nyWallToUtc(day, 19 * 60);
  const from = order.timeInForce === 'opg' ? session.open - 2 * 60_000 : session.close - 10 * 60_000;
  if (t < from || t >= evening) return null;
  const window = order.timeInForce === 'opg' ? '09:28' : session.earlyClose ? '12:50' : '15:50';
  return refuse(
    'TRADING_INVALID_TIME_IN_FORCE',
    `${order.timeInForce} orders are not accepted between ${window} and 19:00 ET`,
    { timeInForce: order.timeInForce },
  );
}
