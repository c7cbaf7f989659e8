import type { CompiledRule, RuleBar } from '../rules/compile-rule.js';
import type { FiringPolicy, FiringState } from '../rules/firing-policy.js';
import type { RuleValues } from './backtester.js';

/** A bar close where a signal fired, with the operand values that made the rule true. */
export type SignalFiring = { readonly t: number; readonly index: number; readonly values: RuleValues };

/**
 * Where a signal (rule + firing policy) fires over `bars`, deciding at each close exactly as the live engine does:
 * `rule.onBar` then `policy.decide`. Backtests, chart previews and the live/backtest consistency test share it.
 */
export function signalFirings(
  rule: CompiledRule,
  policy: FiringPolicy,
  bars: readonly RuleBar[],
  state: FiringState = policy.initialState(),
): { firings: SignalFiring[]; state: FiringState } {
  const ruleState = rule.createState();
  const firings: SignalFiring[] = [];
  let s = state;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    const evaluation = rule.onBar(ruleState, bar);
    const decision = policy.decide(s, evaluation.value, bar.t);
    s = decision.state;
    if (decision.fire) firings.push({ t: bar.t, index: i, values: evaluation.values });
  }
  return { firings, state: s };
}
