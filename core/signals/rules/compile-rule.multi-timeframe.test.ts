import { describe, expect, it } from 'vitest';
import { type Bar, exchangeDay, rollupBars, sessionOnDay } from '../../market-data/index.js';
import { parseTimeframe } from '../../market-data/timeframe.js';
import { type CompiledRule, compileRule, type RuleBar } from './compile-rule.js';
import { formatRuleError } from './rule-error.js';
import { randomMinuteBars, sessionOpen } from './testing/rule-bars.js';

const MINUTE = 60_000;

function rule(source: string, timeframe = '1Min'): CompiledRule {
  const r = compileRule(source, { timeframe });
  if (!r.ok) throw new Error(r.errors.map(formatRuleError).join('\n'));
  return r.rule;
}

/** One day of 1Min bars: 90 pre-market bars at a wild price, the regular session (390 bars), 30 after-hours bars. */
function day(date: string, base: number, regularBars = 390): RuleBar[] {
  const open = sessionOpen(date);
  const out: RuleBar[] = [];
  for (let i = -90; i < regularBars + (regularBars === 390 ? 30 : 0); i++) {
    const extended = i < 0 || i >= 390;
    const c = extended ? 1_000 : base + (i % 7) / 10;
    out.push({ t: open + i * MINUTE, o: c, h: c + 0.5, l: c - 0.5, c, v: 100, extended });
  }
  return out;
}

const asBar = (b: RuleBar): Bar => ({
  symbol: 'X',
  t: b.t,
  o: b.o,
  h: b.h,
  l: b.l,
  c: b.c,
  v: b.v,
  n: 1,
  vw: b.c,
  extended: b.extended ?? false,
});

/** The value a reference reads at each bar: `fn` of the higher-timeframe bars wholly closed by the bar's end. */
function expected(
  bars: readonly RuleBar[],
  timeframe: string,
  closesAt: (higher: Bar) => number,
  fn: (closed: readonly Bar[]) => number | null,
): (number | null)[] {
  const higher = rollupBars(bars.map(asBar), parseTimeframe(timeframe)!);
  return bars.map((b) => fn(higher.filter((h) => closesAt(h) <= b.t + MINUTE)));
}

/** Feeds the bars and reads one reported value after each. */
function trace(r: CompiledRule, bars: readonly RuleBar[], key: string): (number | null)[] {
  const state = r.createState();
  return bars.map((b) => {
    r.onBar(state, b);
    return r.values(state)[key] ?? null;
  });
}

/** Same nulls, numbers equal to 1e-9 (the streaming SMA's running sum rounds differently from (a + b) / 2). */
function expectSeries(got: readonly (number | null)[], want: readonly (number | null)[]): void {
  expect(got.map((v) => v === null)).toEqual(want.map((v) => v === null));
  got.forEach((v, i) => {
    if (v !== null) expect(v).toBeCloseTo(want[i]!, 9);
  });
}

const sma2 = (closed: readonly Bar[]): number | null =>
  closed.length < 2 ? null : (closed[closed.length - 1]!.c + closed[closed.length - 2]!.c) / 2;

describe('compileRule with a higher timeframe', () => {
  it('changes a 1Day reference inside 1Min bars only when the daily bar closes (16:00), never earlier', () => {
    const bars = [...day('2024-03-05', 100), ...day('2024-03-06', 110), ...day('2024-03-07', 120)];
    const r = rule('close > sma(close, 2, "1Day")');
    const got = trace(r, bars, 'sma(close, 2, "1Day")');
    const sessionClose = (h: Bar) => sessionOnDay(exchangeDay(h.t))!.close;
    expectSeries(got, expected(bars, '1Day', sessionClose, sma2));

    // By hand: day 1 closes at 100.4, day 2 at 110.4 (the last regular bar, i = 389); extended prices never count.
    const lastOfDay2 = bars.findIndex((b) => b.t === sessionOpen('2024-03-06') + 389 * MINUTE);
    expect(got.slice(0, lastOfDay2).every((v) => v === null)).toBe(true);
    expect(got[lastOfDay2]).toBeCloseTo(105.4, 10);
    // All of day 3 (pre-market, regular, after-hours) reads days 1 and 2 only: no look-ahead, no repainting.
    const lastOfDay3 = bars.findIndex((b) => b.t === sessionOpen('2024-03-07') + 389 * MINUTE);
    expect(new Set(got.slice(lastOfDay2, lastOfDay3))).toEqual(new Set([got[lastOfDay2]]));
    expect(got[lastOfDay3]).toBeCloseTo(115.4, 10);
  });

  it('closes a daily bucket whose last bars are missing when the next day starts', () => {
    const bars = [...day('2024-03-05', 100), ...day('2024-03-06', 110, 330), ...day('2024-03-07', 120)];
    const got = trace(rule('close > sma(close, 2, "1Day")'), bars, 'sma(close, 2, "1Day")');
    const firstOfDay3 = bars.findIndex((b) => b.t >= sessionOpen('2024-03-07') - 90 * MINUTE);
    expect(got[firstOfDay3 - 1]).toBeNull();
    // Day 2 stopped at bar 329, close 110 + (329 % 7) / 10 = 110.0.
    expect(got[firstOfDay3]).toBeCloseTo((100.4 + 110.0) / 2, 10);
  });

  it('computes the calendar when bars carry no extended flag, with the same result', () => {
    const bars = [...day('2024-03-05', 100), ...day('2024-03-06', 110)];
    const bare = bars.map(({ extended: _extended, ...b }) => b);
    const r = rule('close > sma(close, 2, "1Day")');
    expect(trace(r, bare, 'sma(close, 2, "1Day")')).toEqual(trace(r, bars, 'sma(close, 2, "1Day")'));
  });

  it('updates a 5Min reference inside 1Min bars on the bar that completes each 5-minute bucket', () => {
    const bars = randomMinuteBars(300, 7);
    const got = trace(rule('close > sma(close, 2, "5Min")'), bars, 'sma(close, 2, "5Min")');
    expectSeries(
      got,
      expected(bars, '5Min', (h) => h.t + 5 * MINUTE, sma2),
    );
    // Minute 4, 9, 14… of the session complete a bucket; the value is stable in between.
    expect(got[8]).toBe(got[5]);
    expect(got[9]).not.toBe(got[8]);
  });

  it('matches highest over 1Hour buckets built by rollupBars', () => {
    const bars = randomMinuteBars(600, 11);
    const got = trace(rule('close > highest(high, 3, "1Hour")'), bars, 'highest(high, 3, "1Hour")');
    const want = expected(
      bars,
      '1Hour',
      (h) => h.t + 60 * MINUTE,
      (closed) => (closed.length < 3 ? null : Math.max(...closed.slice(-3).map((h) => h.h))),
    );
    expect(got).toEqual(want);
  });
});
