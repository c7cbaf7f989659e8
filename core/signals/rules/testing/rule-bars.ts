import { dayNumber, nyWallToUtc } from '../../../market-data/ny-time.js';
import { rng } from '../../indicators/testing/fixtures.js';
import { type CompiledRule, compileRule, type RuleBar } from '../compile-rule.js';
import { formatRuleError } from '../rule-error.js';

const MINUTE = 60_000;

/** Start of the regular session (09:30 New York) on `date` (YYYY-MM-DD), epoch ms. */
export function sessionOpen(date: string): number {
  return nyWallToUtc(dayNumber(date), 9 * 60 + 30);
}

/** One 1Min bar per close from `start`; o = previous close, h/l = max/min(o, c), volume 1,000, regular hours. */
export function minuteBars(closes: readonly number[], start = sessionOpen('2024-03-05')): RuleBar[] {
  return closes.map((c, i) => {
    const o = i === 0 ? c : closes[i - 1]!;
    return { t: start + i * MINUTE, o, h: Math.max(o, c), l: Math.min(o, c), c, v: 1_000, extended: false };
  });
}

/** A seeded random walk of 1Min bars, one a minute from `start` (extended flag left to the calendar). */
export function randomMinuteBars(n: number, seed: number, start = sessionOpen('2024-03-04')): RuleBar[] {
  const next = rng(seed);
  const out: RuleBar[] = [];
  let price = 100;
  for (let i = 0; i < n; i++) {
    const o = price;
    const c = o * (1 + (next() - 0.5) * 0.02);
    const h = Math.max(o, c) * (1 + next() * 0.005);
    const l = Math.min(o, c) * (1 - next() * 0.005);
    out.push({ t: start + i * MINUTE, o, h, l, c, v: Math.round(500 + next() * 5_000) });
    price = c;
  }
  return out;
}

/** Compiles `source` for `timeframe` bars, throwing the formatted errors: for tests whose rules must compile. */
export function compiledRule(source: string, timeframe = '1Min'): CompiledRule {
  const r = compileRule(source, { timeframe });
  if (!r.ok) throw new Error(r.errors.map(formatRuleError).join('\n'));
  return r.rule;
}
