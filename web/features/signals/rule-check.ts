import {
  checkRule,
  compileRule,
  firingPolicy,
  type FiringMode,
  type RuleBar,
  signalFirings,
} from '../../../core/signals/index.js';
import { offsetOf } from './rule-highlight.js';

/** One problem in rule text, as the editor shows it: position, message, and offsets to underline. */
export interface RuleProblemView {
  line: number;
  column: number;
  endColumn: number;
  message: string;
  expected: readonly string[];
  start: number;
  end: number;
}

/** The checker's verdict on rule text for bars of `timeframe`. */
export type RuleVerdict = { ok: true; warmup: number } | { ok: false; problems: RuleProblemView[] };

/** Checks rule text with the same parser and checker the server uses; never throws. */
export function checkRuleText(source: string, timeframe: string): RuleVerdict {
  let result: ReturnType<typeof checkRule>;
  try {
    result = checkRule(source, { timeframe });
  } catch {
    return {
      ok: false,
      problems: [
        {
          line: 1,
          column: 1,
          endColumn: 1,
          message: `“${timeframe}” is not a timeframe: pick one such as 1Min, 1Hour or 1Day`,
          expected: [],
          start: 0,
          end: 0,
        },
      ],
    };
  }
  if (result.ok) {
    const compiled = compileRule(source, { timeframe });
    return { ok: true, warmup: compiled.ok ? compiled.rule.warmup : 0 };
  }
  return {
    ok: false,
    problems: result.errors.map((e) => ({
      line: e.line,
      column: e.column,
      endColumn: e.endColumn,
      message: e.message,
      expected: e.expected ?? [],
      start: offsetOf(source, e.line, e.column),
      end: offsetOf(source, e.line, e.endColumn),
    })),
  };
}

/** A problem as one sentence: where it is, what is wrong, and what would have fitted. */
export function describeProblem(p: RuleProblemView): string {
  const expected =
    p.expected.length === 0 || p.expected.every((e) => p.message.includes(e))
      ? ''
      : ` Expected ${p.expected.join(' or ')}.`;
  const stop = /[.?!]$/.test(p.message) ? '' : '.';
  return `Line ${p.line}, column ${p.column}: ${p.message}${stop}${expected}`;
}

/** Where a rule with a firing policy fires over `bars`: the bar times (epoch ms) and their values. */
export function previewFirings(
  source: string,
  options: { timeframe: string; mode: FiringMode; cooldownBars: number },
  bars: readonly RuleBar[],
):
  | { ok: true; warmup: number; firings: { t: number; values: Record<string, number | null> }[] }
  | { ok: false } {
  let compiled: ReturnType<typeof compileRule>;
  try {
    compiled = compileRule(source, { timeframe: options.timeframe });
  } catch {
    return { ok: false };
  }
  if (!compiled.ok) return { ok: false };
  const policy = firingPolicy({ mode: options.mode, cooldownBars: options.cooldownBars });
  const { firings } = signalFirings(compiled.rule, policy, bars);
  return {
    ok: true,
    warmup: compiled.rule.warmup,
    firings: firings.map((f) => ({ t: f.t, values: { ...f.values } })),
  };
}
