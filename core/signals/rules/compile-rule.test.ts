import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/index.js';
import { type CompiledRule, compileRule, type RuleBar } from './compile-rule.js';
import { evaluateSeries } from './evaluate-series.js';
import { formatRuleError } from './rule-error.js';
import { minuteBars } from './testing/rule-bars.js';

function rule(source: string, timeframe = '1Min'): CompiledRule {
  const r = compileRule(source, { timeframe });
  if (!r.ok) throw new Error(r.errors.map(formatRuleError).join('\n'));
  return r.rule;
}

/** The rule's booleans over bars built from `closes`. */
function run(source: string, closes: readonly number[]): boolean[] {
  return evaluateSeries(rule(source), minuteBars(closes));
}

const T = true;
const F = false;

describe('compileRule', () => {
  it('returns the errors of a rule that does not check', () => {
    const r = compileRule('rsi(14) >', { timeframe: '1Min' });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map(formatRuleError)).toEqual([
      "1:10: expected an expression after '>', found end of input",
    ]);
  });

  it('evaluates arithmetic with precedence, unary minus and %', () => {
    expect(run('close - 2 * 3 == 4', [10, 11])).toEqual([T, F]);
    expect(run('-close % 4 == -2 and (close + 2) / 4 == 3', [10])).toEqual([T]);
    expect(
      run('abs(open - close) == 2 and min(close, 3, 5) == 3 and max(1, close) == close', [8, 10]),
    ).toEqual([F, T]);
  });

  it('reads derived bar fields', () => {
    const bar: RuleBar = { t: minuteBars([1])[0]!.t, o: 1, h: 4, l: 2, c: 3, v: 10 };
    expect(evaluateSeries(rule('hl2 == 3 and hlc3 == 3 and ohlc4 == 2.5 and volume == 10'), [bar])).toEqual([
      T,
    ]);
  });

  it('treats a division by zero as null, so comparisons with it are false', () => {
    expect(run('close / (high - low) > 0 or close / (high - low) <= 0', [5, 5, 6])).toEqual([F, F, T]);
  });

  it('reads prev n bars back and is false until there is such a bar', () => {
    expect(run('close > prev(close, 2)', [1, 2, 3, 2, 5])).toEqual([F, F, T, F, T]);
    expect(run('prev(close > open) and close > 2', [1, 2, 3, 3, 4])).toEqual([F, F, T, T, F]);
    expect(run('change(close, 2) == 2', [1, 2, 3, 5])).toEqual([F, F, T, F]);
  });

  it('computes pct_change over n bars', () => {
    expect(run('pct_change(close, 1) < -3', [100, 96, 95])).toEqual([F, T, F]);
    expect(run('pct_change(close) > 0', [0, 1, 2])).toEqual([F, F, T]);
  });

  it('fires crossover exactly on the bar where a crosses above b, and crossunder where it crosses below', () => {
    // sma3: -, -, 4, 3, 2.667, 3, 4, 4.333, 4; close rises above it at bar 4 and falls below at bar 7.
    const closes = [5, 4, 3, 2, 3, 4, 5, 4, 3];
    expect(run('crossover(close, sma(close, 3))', closes)).toEqual([F, F, F, F, T, F, F, F, F]);
    expect(run('close crosses_above sma(close, 3)', closes)).toEqual([F, F, F, F, T, F, F, F, F]);
    expect(run('crossunder(close, sma(close, 3))', closes)).toEqual([F, F, F, F, F, F, F, T, F]);
    expect(run('close crosses_below sma(close, 3)', closes)).toEqual([F, F, F, F, F, F, F, T, F]);
  });

  it('counts a cross from touching (previous a == b)', () => {
    expect(run('close crosses_above 5', [4, 5, 6, 5, 6])).toEqual([F, F, T, F, T]);
  });

  it('evaluates the channel operators against the previous bar for entering and exiting', () => {
    const closes = [5, 15, 16, 25, 18, 8];
    expect(run('inside_channel(close, 10, 20)', closes)).toEqual([F, T, T, F, T, F]);
    expect(run('outside_channel(close, 10, 20)', closes)).toEqual([T, F, F, T, F, T]);
    expect(run('entering_channel(close, 10, 20)', closes)).toEqual([F, T, F, F, T, F]);
    expect(run('exiting_channel(close, 10, 20)', closes)).toEqual([F, F, F, T, F, T]);
    expect(run('inside_channel(close, 20, 10)', closes)).toEqual([F, T, T, F, T, F]);
  });

  it('detects moves of at least pct percent over n bars', () => {
    const closes = [100, 105, 111, 100, 90];
    expect(run('moving_up_pct(close, 10, 2)', closes)).toEqual([F, F, T, F, F]);
    expect(run('moving_down_pct(close, 10, 2)', closes)).toEqual([F, F, F, F, T]);
    expect(run('moving_up_pct(close, 5)', closes)).toEqual([F, T, T, F, F]);
  });

  it('reads indicators: sma of a field, of hl2 and of an expression, and highest/lowest', () => {
    expect(run('sma(close, 2) == 1.5', [1, 2, 3])).toEqual([F, T, F]);
    // hl2 = 1, 1.5, 2 (high = close + 1, low = 0), so sma(hl2, 2) = -, 1.25, 1.75.
    const bars = minuteBars([1, 2, 3]).map((b) => ({ ...b, h: b.c + 1, l: 0 }));
    expect(evaluateSeries(rule('sma(hl2, 2) == 1.25'), bars)).toEqual([F, T, F]);
    expect(run('sma(close * 2, 2) == 3 or sma(close * 2, 2) == 5', [1, 2, 3])).toEqual([F, T, T]);
    expect(run('highest(close, 3) == 5 and lowest(close, 3) == 1', [1, 5, 2, 3])).toEqual([F, F, T, F]);
  });

  it('evaluates bbands members against hand-computed bands', () => {
    // period 2 over [1, 3]: middle 2, population sd 1, so upper 4 and lower 0 with 2 deviations.
    expect(
      run('bbands(2, 2).upper == 4 and bbands(2, 2).lower == 0 and bbands(2, 2).middle == 2', [1, 3]),
    ).toEqual([F, T]);
  });

  it('is never true during warm-up: null compares false and not/and/or follow three-valued logic', () => {
    const closes = Array.from({ length: 20 }, (_, i) => 100 + (i % 2));
    const r = rule('not (rsi(14) > 70)');
    expect(r.warmup).toBe(14);
    const out = evaluateSeries(r, minuteBars(closes));
    expect(out.slice(0, 14)).toEqual(Array(14).fill(F));
    expect(out.slice(14)).toEqual(Array(6).fill(T));
    expect(run('sma(close, 3) > 0 or close > 0', [1, 2])).toEqual([T, T]);
    expect(run('sma(close, 3) > 0 and close > 0', [1, 2, 3])).toEqual([F, F, T]);
  });

  it('states the warm-up as the bars before the result can be true', () => {
    expect(rule('crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70').warmup).toBe(200);
    expect(rule('sma(close, 5) > 0 or prev(close, 3) > 0').warmup).toBe(3);
    expect(rule('sma(rsi(14), 5) > 50').warmup).toBe(18);
    expect(rule('sma(close, 2, "5Min") > 0').warmup).toBe(9);
  });

  it('reports the compared values when true, keyed by their source text, and flags rising edges', () => {
    const r = rule('crossover(sma(close, 2), sma(close,  3)) and close > 1');
    const state = r.createState();
    const results = minuteBars([3, 2, 1, 2, 4, 5]).map((b) => r.onBar(state, b));
    expect(results.map((x) => x.value)).toEqual([F, F, F, F, T, F]);
    expect(results[3]!.values).toEqual({});
    expect(results[4]).toEqual({
      value: true,
      fired: true,
      values: { 'sma(close, 2)': 3, 'sma(close, 3)': 7 / 3, close: 4 },
    });
    expect(r.values(state)).toEqual({ 'sma(close, 2)': 4.5, 'sma(close, 3)': 11 / 3, close: 5 });
    const held = rule('close > 1');
    const s = held.createState();
    expect(minuteBars([2, 3, 0, 4]).map((b) => held.onBar(s, b).fired)).toEqual([T, F, F, T]);
  });

  it('shares one indicator instance and one slot between equal references', () => {
    const r = rule(
      'sma(close, 50) > sma(close,50) * 0.9 and sma( close , 50 ) < close and sma(close, 50, "5Min") > 0',
    );
    expect(r.indicators.map((i) => i.key)).toEqual(['SMA(50)<close>', 'SMA(50)<close>@5Min']);
    expect(r.program.steps.filter((s) => s.op === 'output')).toHaveLength(2);
    const bands = rule('close > bbands(20, 2).upper or close < bbands(20, 2, 2).lower');
    expect(bands.indicators).toHaveLength(1);
    expect(rule('rsi(14) > 1 and rsi(close, 14) < 99').indicators).toHaveLength(1);
  });

  it('keeps each state independent', () => {
    const r = rule('close > prev(close)');
    const a = r.createState();
    const b = r.createState();
    const bars = minuteBars([1, 2, 1]);
    expect(r.onBar(a, bars[0]!).value).toBe(F);
    expect(r.onBar(a, bars[1]!).value).toBe(T);
    expect(r.onBar(b, bars[1]!).value).toBe(F);
    expect(b.bars).toBe(1);
  });

  it('throws SIGNALS_BARS_OUT_OF_ORDER for a bar not after the previous one', () => {
    const r = rule('close > 0');
    const state = r.createState();
    const [first, second] = minuteBars([1, 2]);
    r.onBar(state, second!);
    expect(() => r.onBar(state, first!)).toThrow(DomainError);
    expect(() => r.onBar(state, second!)).toThrow(
      expect.objectContaining({ code: 'SIGNALS_BARS_OUT_OF_ORDER' }),
    );
  });
});
