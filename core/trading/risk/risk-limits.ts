import type { Money } from '../../kernel/index.js';
import type { Order } from '../order.js';

/** Configuration of the risk guards every new order passes, from any source. Null disables a limit. */
export interface RiskLimits {
  /** When on, every new order is refused and open orders should be canceled (see `ordersToCancel`). */
  readonly killSwitch: boolean;
  readonly maxOrderNotional: Money | null;
  /** The largest absolute position in one symbol after the order, in shares. */
  readonly maxPositionQty: Money | null;
  /** The largest absolute position in one symbol after the order, in dollars at the reference price. */
  readonly maxPositionNotional: Money | null;
  /** Refuse orders that add exposure once the day's P&L (realised + unrealised) has lost this much. */
  readonly dailyLossLimit: Money | null;
  /** When set, only these symbols may trade. */
  readonly allowSymbols: readonly string[] | null;
  readonly denySymbols: readonly string[];
  /** Outside the hours an order may execute: refuse it, or queue it for the next session (Alpaca's way). */
  readonly outsideHours: 'refuse' | 'queue';
  /** Refuse an order identical in symbol/side/qty/type/prices to one submitted this recently (0 = off). */
  readonly duplicateWindowMs: number;
}

/** Limits that refuse nothing extra: kill switch off, queue outside hours, no duplicate window. */
export const DEFAULT_RISK_LIMITS: RiskLimits = {
  killSwitch: false,
  maxOrderNotional: null,
  maxPositionQty: null,
  maxPositionNotional: null,
  dailyLossLimit: null,
  allowSymbols: null,
  denySymbols: [],
  outsideHours: 'queue',
  duplicateWindowMs: 0,
};

/** Risk limits with `overrides` merged over the defaults. */
export function riskLimits(overrides: Partial<RiskLimits> = {}): RiskLimits {
  return { ...DEFAULT_RISK_LIMITS, ...overrides };
}

/** The open orders to cancel when the kill switch is on (none when it is off). */
export function ordersToCancel(
  limits: Pick<RiskLimits, 'killSwitch'>,
  openOrders: readonly Order[],
): Order[] {
  return limits.killSwitch ? [...openOrders] : [];
}
