import { describe, expect, it } from 'vitest';
import { wireTime } from './messages.js';

describe('wireTime', () => {
  it('formats exactly as toISOString, across seconds, fractions and the edges of the fixed shape', () => {
    const samples = [
      0,
      1,
      999,
      1000,
      Date.UTC(2024, 2, 12, 14, 30, 0, 5),
      Date.UTC(2024, 2, 12, 14, 30, 0, 50),
      Date.UTC(2024, 2, 12, 14, 30, 59, 999),
      Date.UTC(2024, 2, 12, 14, 31, 0, 0),
      Date.UTC(2024, 2, 12, 14, 31, 0, 0) + 0.75,
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      253_402_300_799_999,
      253_402_300_800_000,
      -1,
    ];
    for (let round = 0; round < 2; round++)
      for (const ms of samples) expect(wireTime(ms), String(ms)).toBe(new Date(ms).toISOString());
    for (let ms = 1_700_000_000_000; ms < 1_700_000_003_000; ms += 7)
      expect(wireTime(ms)).toBe(new Date(ms).toISOString());
  });
});
