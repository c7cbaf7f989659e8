import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Cci, cci, Stoch, stoch, StochRsi, stochRsi, WillR, willR } from './oscillators.js';
import { standardSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne, talibSeries } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const series = Object.entries(standardSeries());
const nans = (n: number): Float64Array => new Float64Array(n).fill(NaN);

describe('stoch', () => {
  for (const [label, s] of series) {
    for (const [k, sk, sd] of [
      [14, 3, 3],
      [5, 1, 3],
      [1, 3, 1],
    ] as const) {
      it(`matches TA-Lib STOCH(${k},${sk},${sd}) slowK and slowD when the series is ${label}`, () => {
        const expected = talibSeries(talib, s.close.length, {
          name: 'STOCH',
          high: s.high,
          low: s.low,
          close: s.close,
          optInFastK_Period: k,
          optInSlowK_Period: sk,
          optInSlowK_MAType: 0,
          optInSlowD_Period: sd,
          optInSlowD_MAType: 0,
        });
        const actual = stoch(s.high, s.low, s.close, k, sk, sd);
        expect(firstMismatch(actual.slowK, expected.outSlowK ?? nans(s.close.length))).toBeNull();
        expect(firstMismatch(actual.slowD, expected.outSlowD ?? nans(s.close.length))).toBeNull();
      });
      it(`agrees with the batch STOCH(${k},${sk},${sd}) when streaming ${label}`, () => {
        const st = new Stoch(k, sk, sd);
        const bars = s.close.map((close, i) => ({ high: s.high[i]!, low: s.low[i]!, close }));
        expect(
          firstMismatch(
            bars.map((b) => st.update(b)?.slowD ?? null),
            stoch(s.high, s.low, s.close, k, sk, sd).slowD,
            0,
          ),
        ).toBeNull();
      });
    }
  }
});

describe('stochRsi', () => {
  for (const [label, s] of series) {
    for (const [p, k, d] of [
      [14, 14, 3],
      [14, 5, 3],
      [5, 3, 1],
    ] as const) {
      it(`matches TA-Lib STOCHRSI(${p},${k},${d}) fastK and fastD when the series is ${label}`, () => {
        const expected = talibSeries(talib, s.close.length, {
          name: 'STOCHRSI',
          inReal: s.close,
          optInTimePeriod: p,
          optInFastK_Period: k,
          optInFastD_Period: d,
          optInFastD_MAType: 0,
        });
        const actual = stochRsi(s.close, p, k, d);
        expect(firstMismatch(actual.fastK, expected.outFastK ?? nans(s.close.length))).toBeNull();
        expect(firstMismatch(actual.fastD, expected.outFastD ?? nans(s.close.length))).toBeNull();
      });
      it(`agrees with the batch STOCHRSI(${p},${k},${d}) when streaming ${label}`, () => {
        const st = new StochRsi(p, k, d);
        expect(
          firstMismatch(
            s.close.map((x) => st.update(x)?.fastK ?? null),
            stochRsi(s.close, p, k, d).fastK,
            0,
          ),
        ).toBeNull();
      });
    }
  }
});

const hlc = [
  { name: 'CCI', batch: cci, stream: (p: number) => new Cci(p), periods: [2, 14, 20] },
  { name: 'WILLR', batch: willR, stream: (p: number) => new WillR(p), periods: [2, 14] },
];

for (const c of hlc) {
  describe(c.name === 'CCI' ? 'cci' : 'willR', () => {
    for (const [label, s] of series) {
      for (const period of c.periods) {
        it(`matches TA-Lib ${c.name}(${period}) value by value when the series is ${label}`, () => {
          const expected = talibOne(talib, s.close.length, {
            name: c.name,
            high: s.high,
            low: s.low,
            close: s.close,
            optInTimePeriod: period,
          });
          expect(firstMismatch(c.batch(s.high, s.low, s.close, period), expected)).toBeNull();
        });
        it(`agrees with the batch ${c.name}(${period}) when streaming ${label}`, () => {
          const ind = c.stream(period);
          const streamed = s.close.map((close, i) => ind.update({ high: s.high[i]!, low: s.low[i]!, close }));
          expect(firstMismatch(streamed, c.batch(s.high, s.low, s.close, period), 0)).toBeNull();
        });
      }
    }
  });
}

describe('Stoch', () => {
  it('reports 0 for %K when the range is flat, like TA-Lib', () => {
    const st = new Stoch(3, 1, 1);
    const out = [1, 2, 3, 4].map(() => st.update({ high: 7, low: 7, close: 7 })?.slowK ?? null);
    expect(out).toEqual([null, null, 0, 0]);
  });
});
