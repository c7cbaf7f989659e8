import { describe, expect, it } from 'vitest';
import type { Candle } from './bar-series.js';
import { applyMinute, bucketOf, seedSeries, timeframeOf, type LiveSeries } from './rollup.js';

// 2026-11-24 is a Tuesday in EST (UTC−5): 09:30 New York is 14:30Z.
const ny = (h: number, m: number): number => Date.UTC(2026, 10, 24, h + 5, m) / 1000;
const bar = (h: number, m: number, c: number, v = 10, closed = false): Candle => ({
  time: ny(h, m),
  open: c,
  high: c + 1,
  low: c - 1,
  close: c,
  volume: v,
  closed,
});
const five = timeframeOf('5Min');
const hour = timeframeOf('1Hour');
const day = timeframeOf('1Day');

describe('bucketOf', () => {
  it('aligns intraday buckets to the New York clock', () => {
    expect(bucketOf(ny(9, 33), five)).toBe(ny(9, 30));
    expect(bucketOf(ny(9, 35), five)).toBe(ny(9, 35));
    expect(bucketOf(ny(9, 59), hour)).toBe(ny(9, 0));
  });

  it('starts a day bucket at New York midnight, also across daylight saving', () => {
    expect(bucketOf(ny(15, 59), day)).toBe(ny(0, 0));
    // 2026-07-01 is in EDT (UTC−4).
    expect(bucketOf(Date.UTC(2026, 6, 1, 14, 0) / 1000, day)).toBe(Date.UTC(2026, 6, 1, 4, 0) / 1000);
  });
});

describe('applyMinute', () => {
  const empty: LiveSeries = { candles: [], minutes: [] };

  it('rolls 1Min bars into a 5Min candle: first open, max high, min low, last close, summed volume', () => {
    let s = applyMinute(empty, bar(9, 30, 100, 5, true), five);
    s = applyMinute(s, { ...bar(9, 31, 103, 7, true), high: 110 }, five);
    s = applyMinute(s, { ...bar(9, 32, 99, 3), low: 90 }, five);
    expect(s.candles).toEqual([
      { time: ny(9, 30), open: 100, high: 110, low: 90, close: 99, volume: 15, closed: false },
    ]);
  });

  it('counts a minute once however many updates it gets', () => {
    let s = applyMinute(empty, bar(9, 30, 100, 5), five);
    s = applyMinute(s, bar(9, 30, 101, 8), five);
    s = applyMinute(s, bar(9, 30, 102, 9, true), five);
    expect(s.candles[0]).toMatchObject({ close: 102, volume: 9 });
  });

  it('ignores a late forming update for a closed minute', () => {
    const s = applyMinute(applyMinute(empty, bar(9, 30, 100, 5, true), five), bar(9, 30, 50, 1), five);
    expect(s.candles[0]).toMatchObject({ close: 100, volume: 5 });
  });

  it('starts the next bucket on its first minute and leaves the previous candle untouched', () => {
    const s1 = applyMinute(empty, bar(9, 34, 100), five);
    const s2 = applyMinute(s1, bar(9, 35, 101), five);
    expect(s2.candles.map((c) => c.time)).toEqual([ny(9, 30), ny(9, 35)]);
    expect(s2.candles[0]).toBe(s1.candles[0]);
  });

  it('never inserts a bucket older than the last candle', () => {
    const s = applyMinute(empty, bar(10, 0, 100), five);
    expect(applyMinute(s, bar(9, 40, 1), five)).toBe(s);
  });

  it('lets a closed 1Min bar correct an older 1Min candle', () => {
    const one = timeframeOf('1Min');
    let s = applyMinute(empty, bar(9, 30, 100, 5, true), one);
    s = applyMinute(s, bar(9, 31, 101), one);
    s = applyMinute(s, bar(9, 30, 100.5, 6, true), one);
    expect(s.candles.map((c) => c.close)).toEqual([100.5, 101]);
  });

  it('keeps pre-market minutes out of the daily candle but in hourly ones', () => {
    const pre = bar(8, 0, 50, 100, true);
    expect(applyMinute(empty, pre, day)).toBe(empty);
    expect(applyMinute(empty, pre, hour).candles).toHaveLength(1);
    expect(applyMinute(empty, bar(10, 0, 100), day).candles[0]?.time).toBe(ny(0, 0));
  });
});

describe('seedSeries', () => {
  it('rebuilds the forming candle from the minutes since its bucket began', () => {
    const history = [bar(9, 30, 100, 50, true), { ...bar(9, 35, 200, 999), open: 1 }];
    const minutes = [bar(9, 34, 1), bar(9, 35, 101, 4, true), bar(9, 36, 102, 6)];
    const s = seedSeries(history, minutes, five);
    expect(s.candles[0]).toBe(history[0]);
    expect(s.candles[1]).toMatchObject({ time: ny(9, 35), open: 101, close: 102, volume: 10 });
    // A further update for minute 9:36 replaces, not adds.
    expect(applyMinute(s, bar(9, 36, 103, 7), five).candles[1]).toMatchObject({ close: 103, volume: 11 });
  });

  it('builds on the last candle when no minutes came with it', () => {
    const s = seedSeries([bar(9, 35, 100, 50)], [], five);
    const next = applyMinute(s, bar(9, 37, 105, 5), five);
    expect(next.candles[0]).toMatchObject({ open: 100, close: 105, volume: 55 });
  });
});
