import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Mfi, mfi, Obv, obv, Vwap, vwap } from './volume.js';
import { randomSeries, standardSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const series = Object.entries(standardSeries());
const barsOf = (s: { high: number[]; low: number[]; close: number[]; volume: number[] }) =>
  s.close.map((close, i) => ({ high: s.high[i]!, low: s.low[i]!, close, volume: s.volume[i]! }));

describe('obv', () => {
  for (const [label, s] of series) {
    it(`matches TA-Lib OBV value by value when the series is ${label}`, () => {
      const expected = talibOne(talib, s.close.length, { name: 'OBV', inReal: s.close, volume: s.volume });
      expect(firstMismatch(obv(s.close, s.volume), expected)).toBeNull();
    });
    it(`agrees with the batch OBV when streaming ${label}`, () => {
      const o = new Obv();
      expect(
        firstMismatch(
          barsOf(s).map((b) => o.update(b)),
          obv(s.close, s.volume),
          0,
        ),
      ).toBeNull();
    });
  }
});

describe('mfi', () => {
  for (const [label, s] of series) {
    for (const period of [2, 14]) {
      it(`matches TA-Lib MFI(${period}) value by value when the series is ${label}`, () => {
        const expected = talibOne(talib, s.close.length, {
          name: 'MFI',
          high: s.high,
          low: s.low,
          close: s.close,
          volume: s.volume,
          optInTimePeriod: period,
        });
        expect(firstMismatch(mfi(s.high, s.low, s.close, s.volume, period), expected)).toBeNull();
      });
      it(`agrees with the batch MFI(${period}) when streaming ${label}`, () => {
        const m = new Mfi(period);
        expect(
          firstMismatch(
            barsOf(s).map((b) => m.update(b)),
            mfi(s.high, s.low, s.close, s.volume, period),
            0,
          ),
        ).toBeNull();
      });
    }
  }
});

/** VWAP computed directly from its definition, re-summing each session from its first bar. */
function directVwap(
  s: { high: number[]; low: number[]; close: number[]; volume: number[] },
  session: (i: number) => number,
): number[] {
  return s.close.map((_, i) => {
    let pv = 0;
    let v = 0;
    for (let j = i; j >= 0 && session(j) === session(i); j--) {
      pv += ((s.high[j]! + s.low[j]! + s.close[j]!) / 3) * s.volume[j]!;
      v += s.volume[j]!;
    }
    return v === 0 ? NaN : pv / v;
  });
}

describe('vwap', () => {
  for (const [label, s] of series) {
    it(`equals Σ(typical·volume)/Σvolume from the first bar when no session is given and the series is ${label}`, () => {
      expect(
        firstMismatch(
          vwap(s.high, s.low, s.close, s.volume),
          directVwap(s, () => 0),
        ),
      ).toBeNull();
    });
  }

  it('re-anchors at each session when the session key changes', () => {
    const s = randomSeries(300, 21);
    const session = (i: number): number => Math.floor(i / 78);
    const sessions = s.close.map((_, i) => session(i));
    const actual = vwap(s.high, s.low, s.close, s.volume, sessions);
    expect(firstMismatch(actual, directVwap(s, session))).toBeNull();
    expect(actual[78]).toBeCloseTo((s.high[78]! + s.low[78]! + s.close[78]!) / 3, 12);
    const stream = new Vwap();
    expect(
      firstMismatch(
        barsOf(s).map((b, i) => stream.update(b, sessions[i])),
        actual,
        0,
      ),
    ).toBeNull();
  });

  it('is null until some volume has traded', () => {
    const v = new Vwap();
    expect(v.update({ high: 2, low: 1, close: 1.5, volume: 0 })).toBeNull();
    expect(v.update({ high: 2, low: 1, close: 1.5, volume: 10 })).toBe(1.5);
  });
});
