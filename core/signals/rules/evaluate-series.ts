import type { CompiledRule, RuleBar, RuleState } from './compile-rule.js';

/** Evaluates `rule` over `bars` in order by feeding them one by one to `onBar`: the booleans a backtest uses, identical to streaming. */
export function evaluateSeries(
  rule: CompiledRule,
  bars: readonly RuleBar[],
  state: RuleState = rule.createState(),
): boolean[] {
  const out = new Array<boolean>(bars.length);
  for (let i = 0; i < bars.length; i++) out[i] = rule.onBar(state, bars[i]!).value;
  return out;
}
