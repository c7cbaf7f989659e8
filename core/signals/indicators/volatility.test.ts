import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Atr, atr, bbands, Bbands, donchian, keltner, Keltner, StdDev, stdDev } from './volatility.js';
import { standardSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne, talibSeries } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const series = Object.entries(standardSeries());
const nans = (n: number): Float64Array => new Float64Array(n).fill(NaN);
const barsOf = (s: { high: number[]; low: number[]; close: number[] }) =>
  s.close.map((close, i) => ({ high: s.high[i]!, low: s.low[i]!, close }));

describe('atr', () => {
  for (const [label, s] of series) {
    for (const period of [1, 2, 14]) {
      it(`matches TA-Lib ATR(${period}) value by value when the series is ${label}`, () => {
        const expected = talibOne(talib, s.close.length, {
          name: 'ATR',
          high: s.high,
          low: s.low,
          close: s.close,
          optInTimePeriod: period,
        });
        expect(firstMismatch(atr(s.high, s.low, s.close, period), expected)).toBeNull();
      });
      it(`agrees with the batch ATR(${period}) when streaming ${label}`, () => {
        const a = new Atr(period);
        expect(
          firstMismatch(
            barsOf(s).map((b) => a.update(b)),
            atr(s.high, s.low, s.close, period),
            0,
          ),
        ).toBeNull();
      });
    }
  }
});

describe('stdDev', () => {
  for (const [label, s] of series) {
    for (const [period, dev] of [
      [2, 1],
      [20, 1],
      [10, 2.5],
    ] as const) {
      it(`matches TA-Lib STDDEV(${period},${dev}) value by value when the series is ${label}`, () => {
        const expected = talibOne(talib, s.close.length, {
          name: 'STDDEV',
          inReal: s.close,
          optInTimePeriod: period,
          optInNbDev: dev,
        });
        expect(firstMismatch(stdDev(s.close, period, dev), expected)).toBeNull();
      });
      it(`agrees with the batch STDDEV(${period},${dev}) when streaming ${label}`, () => {
        const sd = new StdDev(period, dev);
        expect(
          firstMismatch(
            s.close.map((x) => sd.update(x)),
            stdDev(s.close, period, dev),
            0,
          ),
        ).toBeNull();
      });
    }
  }
});

describe('bbands', () => {
  for (const [label, s] of series) {
    for (const [period, up, dn] of [
      [20, 2, 2],
      [5, 1, 1],
      [10, 1.5, 3],
    ] as const) {
      it(`matches TA-Lib BBANDS(${period},${up},${dn}) on every band when the series is ${label}`, () => {
        const n = s.close.length;
        const e = talibSeries(talib, n, {
          name: 'BBANDS',
          inReal: s.close,
          optInTimePeriod: period,
          optInNbDevUp: up,
          optInNbDevDn: dn,
          optInMAType: 0,
        });
        const a = bbands(s.close, period, up, dn);
        expect(firstMismatch(a.upper, e.outRealUpperBand ?? nans(n))).toBeNull();
        expect(firstMismatch(a.middle, e.outRealMiddleBand ?? nans(n))).toBeNull();
        expect(firstMismatch(a.lower, e.outRealLowerBand ?? nans(n))).toBeNull();
      });
      it(`agrees with the batch BBANDS(${period},${up},${dn}) when streaming ${label}`, () => {
        const b = new Bbands(period, up, dn);
        expect(
          firstMismatch(
            s.close.map((x) => b.update(x)?.lower ?? null),
            bbands(s.close, period, up, dn).lower,
            0,
          ),
        ).toBeNull();
      });
    }
  }

  it('collapses the bands onto the middle when the window is flat', () => {
    const b = bbands([3, 3, 3, 3], 3);
    expect([...b.upper]).toEqual([NaN, NaN, 3, 3]);
    expect([...b.lower]).toEqual([NaN, NaN, 3, 3]);
  });
});

describe('keltner', () => {
  for (const [label, s] of series) {
    it(`equals TA-Lib EMA(20) of TYPPRICE ± 2 × ATR(10) when the series is ${label}`, () => {
      const n = s.close.length;
      const typical = talibOne(talib, n, { name: 'TYPPRICE', high: s.high, low: s.low, close: s.close });
      const middle = talibOne(talib, n, { name: 'EMA', inReal: [...typical], optInTimePeriod: 20 });
      const range = talibOne(talib, n, {
        name: 'ATR',
        high: s.high,
        low: s.low,
        close: s.close,
        optInTimePeriod: 10,
      });
      const a = keltner(s.high, s.low, s.close, 20, 10, 2);
      expect(firstMismatch(a.middle, middle)).toBeNull();
      expect(
        firstMismatch(
          a.upper,
          middle.map((m, i) => m + 2 * range[i]!),
        ),
      ).toBeNull();
      expect(
        firstMismatch(
          a.lower,
          middle.map((m, i) => m - 2 * range[i]!),
        ),
      ).toBeNull();
    });
    it(`agrees with the batch Keltner when streaming ${label}`, () => {
      const k = new Keltner(20, 10, 2);
      expect(
        firstMismatch(
          barsOf(s).map((b) => k.update(b)?.upper ?? null),
          keltner(s.high, s.low, s.close).upper,
          0,
        ),
      ).toBeNull();
    });
  }

  it('waits for the slower of its EMA and ATR when the ATR period is longer', () => {
    expect(new Keltner(5, 30, 1).lookback).toBe(30);
  });
});

describe('donchian', () => {
  for (const [label, s] of series) {
    it(`equals TA-Lib MAX(high, 20) and MIN(low, 20) and their mean when the series is ${label}`, () => {
      const n = s.close.length;
      const upper = talibOne(talib, n, { name: 'MAX', inReal: s.high, optInTimePeriod: 20 });
      const lower = talibOne(talib, n, { name: 'MIN', inReal: s.low, optInTimePeriod: 20 });
      const a = donchian(s.high, s.low, 20);
      expect(firstMismatch(a.upper, upper)).toBeNull();
      expect(firstMismatch(a.lower, lower)).toBeNull();
      expect(
        firstMismatch(
          a.middle,
          upper.map((u, i) => (u + lower[i]!) / 2),
        ),
      ).toBeNull();
    });
  }
});
