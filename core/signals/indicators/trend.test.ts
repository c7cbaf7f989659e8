import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Adx, adx, Sar, sar } from './trend.js';
import { randomSeries, standardSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const series = Object.entries(standardSeries());
const barsOf = (s: { high: number[]; low: number[]; close: number[] }) =>
  s.close.map((close, i) => ({ high: s.high[i]!, low: s.low[i]!, close }));

describe('adx', () => {
  for (const [label, s] of series) {
    for (const period of [2, 14]) {
      it(`matches TA-Lib ADX, PLUS_DI and MINUS_DI (${period}) value by value when the series is ${label}`, () => {
        const n = s.close.length;
        const input = { high: s.high, low: s.low, close: s.close, optInTimePeriod: period };
        const a = adx(s.high, s.low, s.close, period);
        expect(firstMismatch(a.adx, talibOne(talib, n, { name: 'ADX', ...input }))).toBeNull();
        expect(firstMismatch(a.plusDI, talibOne(talib, n, { name: 'PLUS_DI', ...input }))).toBeNull();
        expect(firstMismatch(a.minusDI, talibOne(talib, n, { name: 'MINUS_DI', ...input }))).toBeNull();
      });
      it(`agrees with the batch ADX(${period}) when streaming ${label}`, () => {
        const a = new Adx(period);
        expect(
          firstMismatch(
            barsOf(s).map((b) => a.update(b)?.adx ?? null),
            adx(s.high, s.low, s.close, period).adx,
            0,
          ),
        ).toBeNull();
      });
    }
  }
});

describe('sar', () => {
  const trending = randomSeries(500, 11);
  for (const [label, s] of [...series, ['a long series with many reversals', trending] as const]) {
    for (const [acc, max] of [
      [0.02, 0.2],
      [0.05, 0.1],
      [0.3, 0.2],
    ] as const) {
      it(`matches TA-Lib SAR(${acc},${max}) value by value when the series is ${label}`, () => {
        const expected = talibOne(talib, s.close.length, {
          name: 'SAR',
          high: s.high,
          low: s.low,
          optInAcceleration: acc,
          optInMaximum: max,
        });
        expect(firstMismatch(sar(s.high, s.low, acc, max), expected)).toBeNull();
      });
      it(`agrees with the batch SAR(${acc},${max}) when streaming ${label}`, () => {
        const p = new Sar(acc, max);
        expect(
          firstMismatch(
            barsOf(s).map((b) => p.update(b)),
            sar(s.high, s.low, acc, max),
            0,
          ),
        ).toBeNull();
      });
    }
  }

  it('starts short when bar 1 has the larger downward move', () => {
    const out = sar([10, 9.5, 9], [9, 8, 7.5]);
    expect(out[1]).toBe(10);
  });
});
