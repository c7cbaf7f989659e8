import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Macd, macd, Mom, mom, Roc, roc, Rsi, rsi } from './momentum.js';
import { standardSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne, talibSeries } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const series = Object.entries(standardSeries());

const single = [
  { name: 'RSI', batch: rsi, stream: (p: number) => new Rsi(p), periods: [2, 14] },
  { name: 'ROC', batch: roc, stream: (p: number) => new Roc(p), periods: [1, 10] },
  { name: 'MOM', batch: mom, stream: (p: number) => new Mom(p), periods: [1, 10] },
];

for (const c of single) {
  describe(c.name.toLowerCase(), () => {
    for (const [label, s] of series) {
      for (const period of c.periods) {
        it(`matches TA-Lib ${c.name}(${period}) value by value when the series is ${label}`, () => {
          const expected = talibOne(talib, s.close.length, {
            name: c.name,
            inReal: s.close,
            optInTimePeriod: period,
          });
          expect(firstMismatch(c.batch(s.close, period), expected)).toBeNull();
        });
        it(`agrees with the batch ${c.name}(${period}) when streaming ${label}`, () => {
          const indicator = c.stream(period);
          expect(
            firstMismatch(
              s.close.map((x) => indicator.update(x)),
              c.batch(s.close, period),
              0,
            ),
          ).toBeNull();
        });
      }
    }
  });
}

describe('Rsi', () => {
  it('returns 0 when the window has not moved at all, like TA-Lib', () => {
    const r = new Rsi(3);
    const out = [5, 5, 5, 5, 5].map((x) => r.update(x));
    expect(out).toEqual([null, null, null, 0, 0]);
  });
});

describe('macd', () => {
  for (const [label, s] of series) {
    for (const [fast, slow, signal] of [
      [12, 26, 9],
      [5, 10, 3],
      [26, 12, 9],
    ] as const) {
      it(`matches TA-Lib MACD(${fast},${slow},${signal}) on every line when the series is ${label}`, () => {
        const expected = talibSeries(talib, s.close.length, {
          name: 'MACD',
          inReal: s.close,
          optInFastPeriod: fast,
          optInSlowPeriod: slow,
          optInSignalPeriod: signal,
        });
        const actual = macd(s.close, fast, slow, signal);
        const n = s.close.length;
        expect(firstMismatch(actual.macd, expected.outMACD ?? new Float64Array(n).fill(NaN))).toBeNull();
        expect(
          firstMismatch(actual.signal, expected.outMACDSignal ?? new Float64Array(n).fill(NaN)),
        ).toBeNull();
        expect(firstMismatch(actual.hist, expected.outMACDHist ?? new Float64Array(n).fill(NaN))).toBeNull();
      });
      it(`agrees with the batch MACD(${fast},${slow},${signal}) when streaming ${label}`, () => {
        const m = new Macd(fast, slow, signal);
        const streamed = s.close.map((x) => m.update(x)?.hist ?? null);
        expect(firstMismatch(streamed, macd(s.close, fast, slow, signal).hist, 0)).toBeNull();
      });
    }
  }

  it('differs from EMA(12) − EMA(26) both seeded at bar 0, because TA-Lib starts the fast EMA at bar 26 − 12', () => {
    const s = standardSeries()['random walk']!;
    const n = s.close.length;
    const fast = talibOne(talib, n, { name: 'EMA', inReal: s.close, optInTimePeriod: 12 });
    const slow = talibOne(talib, n, { name: 'EMA', inReal: s.close, optInTimePeriod: 26 });
    const line = macd(s.close).macd;
    expect(Number.isNaN(line[32]!)).toBe(true);
    expect(Math.abs(line[33]! - (fast[33]! - slow[33]!))).toBeGreaterThan(1e-9);
  });
});
