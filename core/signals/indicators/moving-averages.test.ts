import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Dema, dema, Ema, ema, Sma, sma, Tema, tema, Wma, wma } from './moving-averages.js';
import { standardSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const series = Object.entries(standardSeries());

type Case = {
  name: string;
  batch: (v: number[], p: number) => Float64Array;
  stream: (p: number) => { update(x: number): number | null };
};
const cases: Case[] = [
  { name: 'SMA', batch: sma, stream: (p) => new Sma(p) },
  { name: 'EMA', batch: ema, stream: (p) => new Ema(p) },
  { name: 'WMA', batch: wma, stream: (p) => new Wma(p) },
  { name: 'DEMA', batch: dema, stream: (p) => new Dema(p) },
  { name: 'TEMA', batch: tema, stream: (p) => new Tema(p) },
];

for (const c of cases) {
  describe(c.name.toLowerCase(), () => {
    for (const [label, s] of series) {
      for (const period of [2, 5, 20]) {
        it(`matches TA-Lib ${c.name}(${period}) value by value when the series is ${label}`, () => {
          const expected = talibOne(talib, s.close.length, {
            name: c.name,
            inReal: s.close,
            optInTimePeriod: period,
          });
          expect(firstMismatch(c.batch(s.close, period), expected)).toBeNull();
        });
        it(`agrees with the batch ${c.name}(${period}) bar by bar when streaming ${label}`, () => {
          const indicator = c.stream(period);
          const streamed = s.close.map((x) => indicator.update(x));
          expect(firstMismatch(streamed, c.batch(s.close, period), 0)).toBeNull();
        });
      }
    }
  });
}

describe('Sma', () => {
  it('keeps agreeing with TA-Lib when the running sum has seen a million bars', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => 1e7 + Math.sin(i) * 1e5);
    const expected = talibOne(talib, values.length, { name: 'SMA', inReal: values, optInTimePeriod: 20 });
    expect(firstMismatch(sma(values, 20), expected)).toBeNull();
  });

  it('rejects a period that is not a positive integer', () => {
    expect(() => new Sma(0)).toThrow(/period/);
    expect(() => new Sma(2.5)).toThrow(/period/);
  });
});
