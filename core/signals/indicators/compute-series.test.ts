import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { computeSeries, computeSeriesIndicators, STANDARD_KEYS } from './compute-series.js';
import { randomSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne, talibSeries } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;

/** TA-Lib's outputs for the standard keys, as arrays aligned to the bars. */
function talibStandardSet(s: {
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}): Record<string, Record<string, Float64Array>> {
  const n = s.close.length;
  const hlc = { high: s.high, low: s.low, close: s.close };
  const one = (request: Record<string, unknown>) => ({ value: talibOne(talib, n, request) });
  const m = talibSeries(talib, n, {
    name: 'MACD',
    inReal: s.close,
    optInFastPeriod: 12,
    optInSlowPeriod: 26,
    optInSignalPeriod: 9,
  });
  const b = talibSeries(talib, n, {
    name: 'BBANDS',
    inReal: s.close,
    optInTimePeriod: 20,
    optInNbDevUp: 2,
    optInNbDevDn: 2,
    optInMAType: 0,
  });
  const st = talibSeries(talib, n, {
    name: 'STOCH',
    ...hlc,
    optInFastK_Period: 14,
    optInSlowK_Period: 3,
    optInSlowK_MAType: 0,
    optInSlowD_Period: 3,
    optInSlowD_MAType: 0,
  });
  return {
    SMA_20: one({ name: 'SMA', inReal: s.close, optInTimePeriod: 20 }),
    EMA_20: one({ name: 'EMA', inReal: s.close, optInTimePeriod: 20 }),
    WMA_20: one({ name: 'WMA', inReal: s.close, optInTimePeriod: 20 }),
    RSI_14: one({ name: 'RSI', inReal: s.close, optInTimePeriod: 14 }),
    MACD_12_26_9: { macd: m.outMACD!, signal: m.outMACDSignal!, hist: m.outMACDHist! },
    BBANDS_20_2: { upper: b.outRealUpperBand!, middle: b.outRealMiddleBand!, lower: b.outRealLowerBand! },
    ATR_14: one({ name: 'ATR', ...hlc, optInTimePeriod: 14 }),
    STOCH_14_3_3: { slowK: st.outSlowK!, slowD: st.outSlowD! },
    ADX_14: one({ name: 'ADX', ...hlc, optInTimePeriod: 14 }),
    OBV: one({ name: 'OBV', inReal: s.close, volume: s.volume }),
    CCI_20: one({ name: 'CCI', ...hlc, optInTimePeriod: 20 }),
    WILLR_14: one({ name: 'WILLR', ...hlc, optInTimePeriod: 14 }),
    MFI_14: one({ name: 'MFI', ...hlc, volume: s.volume, optInTimePeriod: 14 }),
    ROC_10: one({ name: 'ROC', inReal: s.close, optInTimePeriod: 10 }),
  };
}

describe('computeSeriesIndicators', () => {
  const s = randomSeries(250, 41, { flat: [[60, 90]], gaps: [[150, 0.2]] });
  const result = computeSeriesIndicators(s);

  it('produces exactly the standard keys with their output names', () => {
    expect(Object.keys(result)).toEqual(STANDARD_KEYS);
    expect(Object.keys(result.MACD_12_26_9!)).toEqual(['macd', 'signal', 'hist']);
    expect(Object.keys(result.BBANDS_20_2!)).toEqual(['upper', 'middle', 'lower']);
    expect(Object.keys(result.STOCH_14_3_3!)).toEqual(['slowK', 'slowD']);
    expect(Object.keys(result.ADX_14!)).toEqual(['value']);
  });

  it('matches TA-Lib on every key and output, with null during warm-up', () => {
    for (const [key, outputs] of Object.entries(talibStandardSet(s)))
      for (const [output, expected] of Object.entries(outputs))
        expect(firstMismatch(result[key]![output]!, expected), `${key}.${output}`).toBeNull();
    expect(result.SMA_20!.value!.slice(0, 19)).toEqual(Array(19).fill(null));
  });

  it('computes VWAP cumulatively over the typical price', () => {
    let pv = 0;
    let v = 0;
    const expected = s.close.map((c, i) => {
      pv += ((s.high[i]! + s.low[i]! + c) / 3) * s.volume[i]!;
      v += s.volume[i]!;
      return pv / v;
    });
    expect(firstMismatch(result.VWAP!.value!, expected)).toBeNull();
  });

  it('returns all null when the series is shorter than every warm-up but OBV and VWAP', () => {
    const short = computeSeriesIndicators(randomSeries(5, 42));
    expect(short.RSI_14!.value).toEqual([null, null, null, null, null]);
    expect(short.OBV!.value!.every((x) => x !== null)).toBe(true);
  });

  it('rejects columns whose lengths differ from time', () => {
    expect(() => computeSeriesIndicators({ ...s, close: s.close.slice(1) })).toThrow(/column close/);
  });
});

describe('computeSeries', () => {
  it('computes every named series independently', () => {
    const a = randomSeries(40, 43);
    const b = randomSeries(30, 44);
    const out = computeSeries({ series: { A: a, B: b } });
    expect(Object.keys(out.series)).toEqual(['A', 'B']);
    expect(out.series.B!.SMA_20!.value).toHaveLength(30);
    expect(out.series.A).toEqual(computeSeriesIndicators(a));
  });
});
