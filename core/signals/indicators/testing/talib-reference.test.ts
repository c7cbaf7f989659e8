import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { firstMismatch, type Talib, talibOne } from './talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;

describe('firstMismatch', () => {
  it('reports a value outside 1e-9 relative', () => {
    expect(firstMismatch([NaN, 1000], [NaN, 1000 * (1 + 2e-9)])).toMatch(/^at 1:/);
  });
  it('accepts a value inside 1e-9 relative', () => {
    expect(firstMismatch([NaN, 1000], [NaN, 1000 * (1 + 5e-10)])).toBeNull();
  });
  it('reports a number where a warm-up gap is expected, and the reverse', () => {
    expect(firstMismatch([1, 2], [NaN, 2])).toMatch(/^at 0:/);
    expect(firstMismatch([null, 2], [1, 2])).toMatch(/^at 0:/);
  });
  it('reports different lengths', () => {
    expect(firstMismatch([1], [1, 2])).toMatch(/length/);
  });
});

describe('talibOne', () => {
  it('pads the warm-up with NaN so outputs align with their bars', () => {
    expect([...talibOne(talib, 4, { name: 'SMA', inReal: [1, 2, 3, 4], optInTimePeriod: 3 })]).toEqual([
      NaN,
      NaN,
      2,
      3,
    ]);
  });
  it('returns all NaN when the series is shorter than the warm-up', () => {
    expect([...talibOne(talib, 2, { name: 'SMA', inReal: [1, 2], optInTimePeriod: 3 })]).toEqual([NaN, NaN]);
  });
});
