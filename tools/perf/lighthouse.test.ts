import { describe, expect, it } from 'vitest';
import { calibratedSlowdown } from './lighthouse.js';

describe('calibratedSlowdown (the CPU a re-run simulates on a busy host)', () => {
  it('simulates a slower host as the quiet machine, never slower than Lighthouse observed it', () => {
    expect(calibratedSlowdown(1_500, undefined)).toBe(0.5);
    expect(calibratedSlowdown(2_250, undefined)).toBe(0.75);
    expect(calibratedSlowdown(3_000, undefined)).toBe(1);
    expect(calibratedSlowdown(6_000, undefined)).toBe(1);
  });

  it('goes no lower than 0.25, and keeps 1 when the index is unknown', () => {
    expect(calibratedSlowdown(300, undefined)).toBe(0.25);
    expect(calibratedSlowdown(null, undefined)).toBe(1);
    expect(calibratedSlowdown(0, undefined)).toBe(1);
  });

  it('keeps a slowdown asked for on the command line', () => {
    expect(calibratedSlowdown(300, 4)).toBe(4);
    expect(calibratedSlowdown(null, 2)).toBe(2);
  });
});
