import { describe, it, expect } from 'vitest';
import { bucketEnd, bucketStart, formatTimeframe, parseTimeframe, type Timeframe } from './timeframe.js';

const at = (iso: string): number => Date.parse(iso);
const tf = (text: string): Timeframe => {
  const parsed = parseTimeframe(text);
  if (!parsed) throw new Error(text);
  return parsed;
};

describe('parseTimeframe', () => {
  it('accepts Alpaca forms and aliases when valid', () => {
    expect(parseTimeframe('1Min')).toEqual({ amount: 1, unit: 'Min' });
    expect(parseTimeframe('15T')).toEqual({ amount: 15, unit: 'Min' });
    expect(parseTimeframe('4H')).toEqual({ amount: 4, unit: 'Hour' });
    expect(parseTimeframe('1D')).toEqual({ amount: 1, unit: 'Day' });
    expect(parseTimeframe('1Week')).toEqual({ amount: 1, unit: 'Week' });
    expect(parseTimeframe('6Month')).toEqual({ amount: 6, unit: 'Month' });
    expect(parseTimeframe('12M')).toEqual({ amount: 12, unit: 'Month' });
  });

  it('returns null when out of range or malformed', () => {
    for (const t of [
      '0Min',
      '60Min',
      '24Hour',
      '2Day',
      '2Week',
      '5Month',
      'Min',
      '1min',
      '01Min',
      '1 Min',
      '',
    ]) {
      expect(parseTimeframe(t), t).toBeNull();
    }
  });
});

describe('formatTimeframe', () => {
  it('spells the canonical form when given an alias', () => {
    expect(formatTimeframe(tf('5T'))).toBe('5Min');
    expect(formatTimeframe(tf('1D'))).toBe('1Day');
  });
});

describe('bucketStart', () => {
  it('aligns minutes and hours to New York wall clock when intraday', () => {
    expect(bucketStart(at('2024-01-03T14:37:12Z'), tf('5Min'))).toBe(at('2024-01-03T14:35:00Z'));
    expect(bucketStart(at('2024-01-03T14:37:12Z'), tf('1Hour'))).toBe(at('2024-01-03T14:00:00Z'));
    expect(bucketStart(at('2024-07-03T14:37:12Z'), tf('1Hour'))).toBe(at('2024-07-03T14:00:00Z'));
    expect(bucketStart(at('2024-07-03T14:37:12Z'), tf('4Hour'))).toBe(at('2024-07-03T12:00:00Z'));
    expect(bucketStart(at('2024-01-03T14:37:12Z'), tf('4Hour'))).toBe(at('2024-01-03T13:00:00Z'));
  });

  it('stamps daily bars at New York midnight when the unit is Day', () => {
    expect(bucketStart(at('2024-01-03T20:59:00Z'), tf('1Day'))).toBe(at('2024-01-03T05:00:00Z'));
    expect(bucketStart(at('2024-07-03T16:00:00Z'), tf('1Day'))).toBe(at('2024-07-03T04:00:00Z'));
    expect(bucketEnd(at('2024-07-03T04:00:00Z'), tf('1Day'))).toBe(at('2024-07-04T04:00:00Z'));
  });

  it('starts weeks on Monday and months on the 1st when longer', () => {
    expect(bucketStart(at('2024-01-05T15:00:00Z'), tf('1Week'))).toBe(at('2024-01-01T05:00:00Z'));
    expect(bucketStart(at('2024-05-20T15:00:00Z'), tf('1Month'))).toBe(at('2024-05-01T04:00:00Z'));
    expect(bucketStart(at('2024-05-20T15:00:00Z'), tf('3Month'))).toBe(at('2024-04-01T04:00:00Z'));
    expect(bucketEnd(at('2024-11-01T04:00:00Z'), tf('1Month'))).toBe(at('2024-12-01T05:00:00Z'));
  });
});
