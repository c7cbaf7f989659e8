import { describe, expect, it } from 'vitest';
import { macd, Macd, rsi, Rsi } from './momentum.js';
import { ema, Ema, sma, Sma } from './moving-averages.js';
import { standardSeries } from './testing/fixtures.js';
import { bbands, Bbands, stdDev, StdDev } from './volatility.js';

/**
 * The dedicated batch kernels (plain typed-array loops) against the streaming classes fed one value at a time:
 * bit-for-bit equal (Object.is per value, so NaN warm-ups and signed zeros count), over every fixture (flat
 * windows, gaps, 1e-4 and 1e7 prices, shorter than the warm-up, one bar, empty) and short series around the lookback.
 */
const series: [string, number[]][] = Object.entries(standardSeries()).map(([label, s]) => [label, s.close]);
const base = standardSeries()['random walk']!.close;
for (const n of [1, 2, 3, 13, 14, 15, 19, 20, 21, 33, 34, 35]) series.push([`${n} bars`, base.slice(0, n)]);
// A window of exact zeros after a flat stretch: the sums cancel, so the epsilon branches run.
series.push([
  'zeros and steps',
  [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, -2, 2, -2],
]);

/** Index of the first value that differs bit-for-bit (NaN equals NaN), or null. */
function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number | null {
  if (actual.length !== expected.length) return -1;
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) return i;
  return null;
}

/** Streams `values` through a one-output class, collecting `next`'s result per value. */
function streamed(indicator: { next(x: number): number }, values: readonly number[]): Float64Array {
  return Float64Array.from(values, (x) => indicator.next(x));
}

/** Streams `values` through a class that reports readiness, collecting the named fields (NaN before ready). */
function streamedLines<K extends string>(
  indicator: { next(x: number): boolean } & Record<K, number>,
  keys: readonly K[],
  values: readonly number[],
): Record<K, Float64Array> {
  const out = Object.fromEntries(keys.map((k) => [k, new Float64Array(values.length).fill(NaN)])) as Record<
    K,
    Float64Array
  >;
  values.forEach((x, i) => {
    if (indicator.next(x)) for (const k of keys) out[k][i] = indicator[k];
  });
  return out;
}

describe('batch kernels equal streaming bit for bit', () => {
  for (const [label, values] of series) {
    for (const period of [1, 2, 5, 14, 20]) {
      it(`SMA(${period}) and EMA(${period}) over ${label}`, () => {
        expect(firstDifference(sma(values, period), streamed(new Sma(period), values))).toBeNull();
        expect(firstDifference(ema(values, period), streamed(new Ema(period), values))).toBeNull();
      });
      if (period < 2) continue;
      it(`RSI(${period}), STDDEV(${period}, 1.5) and BBANDS(${period}, 2, 1) over ${label}`, () => {
        expect(firstDifference(rsi(values, period), streamed(new Rsi(period), values))).toBeNull();
        expect(
          firstDifference(stdDev(values, period, 1.5), streamed(new StdDev(period, 1.5), values)),
        ).toBeNull();
        const batch = bbands(values, period, 2, 1);
        const stream = streamedLines(new Bbands(period, 2, 1), ['upper', 'middle', 'lower'], values);
        for (const k of ['upper', 'middle', 'lower'] as const)
          expect(firstDifference(batch[k], stream[k]), k).toBeNull();
      });
    }
    for (const [fast, slow, signal] of [
      [12, 26, 9],
      [2, 3, 1],
      [5, 5, 2],
      [26, 12, 9],
    ] as const)
      it(`MACD(${fast}, ${slow}, ${signal}) over ${label}`, () => {
        const batch = macd(values, fast, slow, signal);
        const stream = streamedLines(new Macd(fast, slow, signal), ['macd', 'signal', 'hist'], values);
        for (const k of ['macd', 'signal', 'hist'] as const)
          expect(firstDifference(batch[k], stream[k]), k).toBeNull();
      });
  }

  it('gives the same values for a number[] and a Float64Array column', () => {
    const column = Float64Array.from(base);
    expect(firstDifference(sma(base, 20), sma(column, 20))).toBeNull();
    expect(firstDifference(rsi(base, 14), rsi(column, 14))).toBeNull();
    expect(firstDifference(macd(base).hist, macd(column).hist)).toBeNull();
    expect(firstDifference(bbands(base).lower, bbands(column).lower)).toBeNull();
  });

  it('keeps NaN for every warm-up bar and the first value at the lookback', () => {
    const values = base.slice(0, 40);
    const s = sma(values, 20);
    expect(Array.from(s.subarray(0, 19)).every(Number.isNaN)).toBe(true);
    expect(s[19]).toBeCloseTo(values.slice(0, 20).reduce((a, b) => a + b, 0) / 20, 10);
    const m = macd(values, 12, 26, 9);
    expect(Array.from(m.macd.subarray(0, 33)).every(Number.isNaN)).toBe(true);
    expect(Number.isFinite(m.macd[33])).toBe(true);
    const r = rsi(values, 14);
    expect(Array.from(r.subarray(0, 14)).every(Number.isNaN)).toBe(true);
    expect(r[14]).toBeGreaterThanOrEqual(0);
    expect(r[14]).toBeLessThanOrEqual(100);
  });

  it('rejects the parameters the streaming classes reject', () => {
    expect(() => sma(base, 0)).toThrow(/period/);
    expect(() => ema(base, 2.5)).toThrow(/period/);
    expect(() => rsi(base, 1)).toThrow(/period/);
    expect(() => macd(base, 1, 26, 9)).toThrow(/fast/);
    expect(() => macd(base, 12, 26, 0)).toThrow(/signal/);
    expect(() => bbands(base, 1)).toThrow(/period/);
    expect(() => bbands(base, 20, Infinity)).toThrow(/nbDevUp/);
    expect(() => stdDev(base, 20, NaN)).toThrow(/nbDev/);
  });
});
