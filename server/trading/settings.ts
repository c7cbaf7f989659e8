import type { FillModelJson, RiskLimitsJson } from '../../contracts/trading.js';
import { Money } from '../../core/kernel/index.js';
import { type FillModel, type RiskLimits, fillModel, riskLimits } from '../../core/trading/index.js';

const dec = (m: Money | null): string | null => (m === null ? null : m.toFixed());
const money = (text: string | null | undefined): Money | null =>
  text === null || text === undefined ? null : new Money(text);

/** The fill model on the wire and at rest (snake_case, decimals as strings). */
export function fillModelToJson(model: FillModel): FillModelJson {
  return {
    latency_ms: model.latencyMs,
    slippage_bps: model.slippageBps,
    partial_fills: model.partialFills,
    touch_fills: model.touchFills,
    commission: {
      per_share: model.commission.perShare.toFixed(),
      per_order: model.commission.perOrder.toFixed(),
      minimum: model.commission.minimum.toFixed(),
    },
  };
}

/** A fill model from (part of) its JSON, merged over `base` (Alpaca paper's defaults). */
export function fillModelFromJson(json: Partial<FillModelJson>, base: FillModel = fillModel()): FillModel {
  return {
    latencyMs: json.latency_ms ?? base.latencyMs,
    slippageBps: json.slippage_bps ?? base.slippageBps,
    partialFills: json.partial_fills ?? base.partialFills,
    touchFills: json.touch_fills ?? base.touchFills,
    commission: json.commission
      ? {
          perShare: new Money(json.commission.per_share),
          perOrder: new Money(json.commission.per_order),
          minimum: new Money(json.commission.minimum),
        }
      : base.commission,
  };
}

/** A user's risk limits on the wire and at rest (the kill switch is global, not stored here). */
export function riskLimitsToJson(limits: RiskLimits): RiskLimitsJson {
  return {
    max_order_notional: dec(limits.maxOrderNotional),
    max_position_qty: dec(limits.maxPositionQty),
    max_position_notional: dec(limits.maxPositionNotional),
    daily_loss_limit: dec(limits.dailyLossLimit),
    allow_symbols: limits.allowSymbols ? [...limits.allowSymbols] : null,
    deny_symbols: [...limits.denySymbols],
    outside_hours: limits.outsideHours,
    duplicate_window_ms: limits.duplicateWindowMs,
  };
}

/** Risk limits from (part of) their JSON, merged over `base`. */
export function riskLimitsFromJson(
  json: Partial<RiskLimitsJson>,
  base: RiskLimits = riskLimits(),
): RiskLimits {
  const pick = (value: string | null | undefined, fallback: Money | null) =>
    value === undefined ? fallback : money(value);
  return {
    killSwitch: false,
    maxOrderNotional: pick(json.max_order_notional, base.maxOrderNotional),
    maxPositionQty: pick(json.max_position_qty, base.maxPositionQty),
    maxPositionNotional: pick(json.max_position_notional, base.maxPositionNotional),
    dailyLossLimit: pick(json.daily_loss_limit, base.dailyLossLimit),
    allowSymbols: json.allow_symbols === undefined ? base.allowSymbols : json.allow_symbols,
    denySymbols: json.deny_symbols ?? base.denySymbols,
    outsideHours: json.outside_hours ?? base.outsideHours,
    duplicateWindowMs: json.duplicate_window_ms ?? base.duplicateWindowMs,
  };
}
