import { Money } from '../../kernel/index.js';
import type { OrderSide } from '../order.js';

/** Commission schedule: per share plus per order, with a per-order minimum (all dollars). */
export interface CommissionSchedule {
  readonly perShare: Money;
  readonly perOrder: Money;
  readonly minimum: Money;
}

/** How the paper engine turns a marketable order into fills; recorded on every fill. */
export interface FillModel {
  /** An order may execute only against market events at or after submission + latencyMs. */
  readonly latencyMs: number;
  /** Taker fills pay this many basis points beyond the quote (never better than the quote). */
  readonly slippageBps: number;
  /** 'displayed_size' caps each fill at the displayed bid/ask (or trade) size; 'never' fills whole. */
  readonly partialFills: 'displayed_size' | 'never';
  readonly commission: CommissionSchedule;
  /** Resting limits fill when a trade prints at their price (touch), not only through it. */
  readonly touchFills: boolean;
}

/** Alpaca paper's model: no latency, no slippage, whole fills, no fees, fills only through the limit. */
export const DEFAULT_FILL_MODEL: FillModel = {
  latencyMs: 0,
  slippageBps: 0,
  partialFills: 'never',
  commission: { perShare: new Money(0), perOrder: new Money(0), minimum: new Money(0) },
  touchFills: false,
};

/** A fill model with `overrides` merged over the defaults. */
export function fillModel(overrides: Partial<FillModel> = {}): FillModel {
  return { ...DEFAULT_FILL_MODEL, ...overrides };
}

const BPS = new Money(10_000);

/** The taker price for `side` against a quote price after slippage, never beyond `limit`. */
export function takerPrice(side: OrderSide, quotePrice: Money, model: FillModel, limit: Money | null): Money {
  const slip = quotePrice.times(model.slippageBps).dividedBy(BPS);
  const raw = side === 'buy' ? quotePrice.plus(slip) : quotePrice.minus(slip);
  if (!limit) return raw;
  return side === 'buy' ? Money.min(raw, limit) : Money.max(raw, limit);
}

/** The commission owed by one fill, given the order's cumulative filled qty and commission before it. */
export function commissionFor(
  schedule: CommissionSchedule,
  filledBefore: Money,
  fillQty: Money,
  chargedBefore: Money,
): Money {
  const total = Money.max(
    schedule.minimum,
    schedule.perOrder.plus(schedule.perShare.times(filledBefore.plus(fillQty))),
  );
  return total.minus(chargedBefore);
}
