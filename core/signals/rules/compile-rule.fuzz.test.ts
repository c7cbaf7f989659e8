import { describe, expect, it } from 'vitest';
import { rng } from '../indicators/testing/fixtures.js';
import { compileRule } from './compile-rule.js';
import { evaluateSeries } from './evaluate-series.js';
import { RULE_LIMITS } from './limits.js';
import { randomMinuteBars } from './testing/rule-bars.js';

const CORPUS = [
  'crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70',
  'close > bbands(20, 2).upper',
  'volume > 2 * sma(volume, 20)',
  'pct_change(close, 5) < -3',
  'sma(close, 20, "1Day") > close',
  'macd(12, 26, 9).hist crosses_above 0',
  'entering_channel(close, 10, 20) or moving_down_pct(hl2, 1.5, 3)',
  '# comment\nstoch(14, 3, 3).k > 80 &&\n !(adx(14).plus_di < 20) || prev(close, 2) != open',
  'sma(rsi(14), 5) > 50 and highest(high, 10, "1Hour") > abs(min(open, close) - max(1, 2, low))',
];

const PIECES = [
  'sma',
  'ema',
  'rsi',
  'bbands',
  'macd',
  'stoch',
  'crossover',
  'prev',
  'highest',
  'abs',
  'min',
  'vwap',
  'foo',
  '(',
  ')',
  '(',
  ')',
  ',',
  ',',
  '.',
  '.upper',
  '.k',
  '.hist',
  'close',
  'high',
  'volume',
  'hl2',
  '0',
  '14',
  '-3',
  '2.5',
  '.5',
  '1e3',
  '1e999',
  '99999999',
  '"1Day"',
  '"5Min"',
  '"1Min"',
  '"bad"',
  "'",
  '"',
  'and',
  'or',
  'not',
  '&&',
  '||',
  '!',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  '=',
  '+',
  '-',
  '*',
  '/',
  '%',
  'crosses_above',
  'crosses_below',
  '#',
  '\n',
  ' ',
  '\t',
  '@',
  'é',
  '😀',
  '\u0000',
  '[',
  ']',
];

const CHARS = '()",.+-*/%<>=!&|#\n 0123456789abcxyz_é😀\u0000\'';

/** A random rule: token soup, a mutation of a valid rule, or a deep/long extreme. */
function generate(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const kind = next();
  if (kind < 0.35) {
    const n = 1 + Math.floor(next() * 30);
    return Array.from({ length: n }, () => pick(PIECES)).join(next() < 0.5 ? ' ' : '');
  }
  if (kind < 0.9) {
    let s = pick(CORPUS);
    const edits = 1 + Math.floor(next() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * (s.length + 1));
      const op = next();
      if (op < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(next() * 4));
      else if (op < 0.6) s = s.slice(0, at) + pick([...CHARS]) + s.slice(at);
      else if (op < 0.8) s = s.slice(0, at) + pick(PIECES) + s.slice(at);
      else s = s.slice(0, at) + s.slice(Math.floor(next() * s.length));
    }
    return s;
  }
  const depth = Math.floor(next() * 60);
  const shapes = [
    `${'('.repeat(depth)}close > 1${')'.repeat(depth)}`,
    `close > ${'abs('.repeat(depth)}1${')'.repeat(next() < 0.5 ? depth : Math.max(0, depth - 1))}`,
    `${'not '.repeat(depth)}close > 1`,
    `${'- '.repeat(depth * 10)}close > 1`,
    Array.from({ length: depth * 2 }, (_, i) => `sma(close, ${i + 2}) > 0`).join(' and '),
    `close ${'+ 1 '.repeat(depth * 20)}> 0`,
    pick(CORPUS).repeat(1 + Math.floor(next() * 40)),
  ];
  return pick(shapes);
}

describe('compileRule fuzz', () => {
  it('returns ok or positioned errors for 4,000 random and mutated rules, never throwing, within the time bound', () => {
    const next = rng(20240611);
    const bars = randomMinuteBars(40, 3);
    const started = performance.now();
    let ok = 0;
    for (let i = 0; i < 4_000; i++) {
      const source = generate(next);
      let result: ReturnType<typeof compileRule>;
      try {
        result = compileRule(source, { timeframe: next() < 0.8 ? '1Min' : '1Hour' });
      } catch (e) {
        throw new Error(`compileRule threw on ${JSON.stringify(source)}: ${String(e)}`, { cause: e });
      }
      if (result.ok) {
        ok++;
        expect(() => evaluateSeries(result.rule, bars), source).not.toThrow();
        continue;
      }
      expect(result.errors.length, source).toBeGreaterThan(0);
      const lines = source.split('\n');
      for (const e of result.errors) {
        expect(e.line, source).toBeGreaterThanOrEqual(1);
        expect(e.line, source).toBeLessThanOrEqual(lines.length);
        expect(e.column, source).toBeGreaterThanOrEqual(1);
        expect(e.endColumn, source).toBeGreaterThan(e.column);
        expect(e.column, source).toBeLessThanOrEqual(
          Math.min(lines[e.line - 1]!.length, RULE_LIMITS.maxLength) + 1,
        );
        expect(e.message.length, source).toBeGreaterThan(0);
      }
    }
    const elapsed = performance.now() - started;
    expect(ok).toBeGreaterThan(100);
    expect(elapsed).toBeLessThan(15_000);
  });
});
