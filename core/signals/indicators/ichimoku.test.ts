import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Ichimoku, ichimoku } from './ichimoku.js';
import { standardSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const series = Object.entries(standardSeries());

/** (TA-Lib MAX(high) + MIN(low))/2 over `period`, shifted `shift` bars forward. */
function midpoint(s: { high: number[]; low: number[] }, period: number, shift = 0): Float64Array {
  const n = s.high.length;
  const hi = talibOne(talib, n, { name: 'MAX', inReal: s.high, optInTimePeriod: period });
  const lo = talibOne(talib, n, { name: 'MIN', inReal: s.low, optInTimePeriod: period });
  const mid = hi.map((h, i) => (h + lo[i]!) / 2);
  const out = new Float64Array(n).fill(NaN);
  for (let i = shift; i < n; i++) out[i] = mid[i - shift]!;
  return out;
}

describe('ichimoku', () => {
  for (const [label, s] of series) {
    it(`derives every line from TA-Lib MAX/MIN with the cloud displaced 26 bars forward when the series is ${label}`, () => {
      const n = s.close.length;
      const a = ichimoku(s.high, s.low, s.close);
      const tenkan = midpoint(s, 9);
      const kijun = midpoint(s, 26);
      const tenkan26 = midpoint(s, 9, 26);
      const kijun26 = midpoint(s, 26, 26);
      expect(firstMismatch(a.tenkan, tenkan)).toBeNull();
      expect(firstMismatch(a.kijun, kijun)).toBeNull();
      expect(
        firstMismatch(
          a.senkouA,
          tenkan26.map((t, i) => (t + kijun26[i]!) / 2),
        ),
      ).toBeNull();
      expect(firstMismatch(a.senkouB, midpoint(s, 52, 26))).toBeNull();
      expect(firstMismatch(a.chikou, s.close)).toBeNull();
      expect(a.senkouB.findIndex((x) => !Number.isNaN(x))).toBe(n > 77 ? 77 : -1);
    });
    it(`agrees with the batch Ichimoku when streaming ${label}`, () => {
      const ich = new Ichimoku();
      const streamed = s.close.map(
        (close, i) => ich.update({ high: s.high[i]!, low: s.low[i]!, close })?.senkouA ?? null,
      );
      const batch = ichimoku(s.high, s.low, s.close);
      expect(
        firstMismatch(
          streamed,
          batch.senkouA.map((x, i) => (i < 77 ? NaN : x)),
          0,
        ),
      ).toBeNull();
    });
  }
});
