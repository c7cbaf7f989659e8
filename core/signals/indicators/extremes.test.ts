import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Max, max, Min, min } from './extremes.js';
import { standardSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const series = Object.entries(standardSeries());

for (const c of [
  { name: 'MAX', batch: max, stream: (p: number) => new Max(p) },
  { name: 'MIN', batch: min, stream: (p: number) => new Min(p) },
]) {
  describe(c.name.toLowerCase(), () => {
    for (const [label, s] of series) {
      for (const period of [2, 7, 30]) {
        it(`matches TA-Lib ${c.name}(${period}) value by value when the series is ${label}`, () => {
          const expected = talibOne(talib, s.close.length, {
            name: c.name,
            inReal: s.close,
            optInTimePeriod: period,
          });
          expect(firstMismatch(c.batch(s.close, period), expected, 0)).toBeNull();
        });
        it(`agrees with the batch ${c.name}(${period}) when streaming ${label}`, () => {
          const e = c.stream(period);
          expect(
            firstMismatch(
              s.close.map((x) => e.update(x)),
              c.batch(s.close, period),
              0,
            ),
          ).toBeNull();
        });
      }
    }

    it(`matches TA-Lib ${c.name} when the series only rises and only falls (the deque's worst cases)`, () => {
      const up = Array.from({ length: 200 }, (_, i) => i);
      const down = up.map((x) => -x);
      for (const v of [up, down])
        expect(
          firstMismatch(
            c.batch(v, 10),
            talibOne(talib, v.length, { name: c.name, inReal: v, optInTimePeriod: 10 }),
            0,
          ),
        ).toBeNull();
    });
  });
}
