import { describe, expect, it } from 'vitest';
import type { WireBar } from '../../../../contracts/market.js';
import { candlesFromHistory, mergeBars, type Candle } from './bar-series.js';

const minute = (m: number): string => new Date(Date.UTC(2026, 10, 24, 15, m)).toISOString();
const seconds = (m: number): number => Date.UTC(2026, 10, 24, 15, m) / 1000;

const wire = (m: number, c: number): WireBar => ({
  t: minute(m),
  o: c,
  h: c + 1,
  l: c - 1,
  c,
  v: 100,
  n: 5,
  vw: c,
});
const candle = (m: number, c: number, closed = true): Candle => ({
  time: seconds(m),
  open: c,
  high: c + 1,
  low: c - 1,
  close: c,
  volume: 100,
  closed,
});
const times = (candles: readonly Candle[]): number[] => candles.map((c) => (c.time - seconds(0)) / 60);

describe('candlesFromHistory', () => {
  it('sorts by time, converts RFC 3339 to epoch seconds and leaves only the last candle open', () => {
    const candles = candlesFromHistory([wire(2, 12), wire(0, 10), wire(1, 11)]);
    expect(candles.map((c) => c.time)).toEqual([seconds(0), seconds(1), seconds(2)]);
    expect(candles.map((c) => c.closed)).toEqual([true, true, false]);
  });

  it('drops bars whose time does not parse', () => {
    expect(candlesFromHistory([{ ...wire(0, 1), t: 'yesterday' }])).toEqual([]);
  });
});

describe('mergeBars', () => {
  it('fills a gap after a reconnect with no missing and no duplicated bars', () => {
    // Held: minutes 0–3, the stream went quiet; backfill from the last held bar (start = minute 3).
    const held = [candle(0, 10), candle(1, 11), candle(2, 12), candle(3, 13, false)];
    const backfill = [candle(3, 13.5), candle(4, 14), candle(5, 15), candle(6, 16, false)];
    const merged = mergeBars(held, backfill);
    expect(times(merged)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(merged[3]).toEqual(candle(3, 13.5));
    expect(merged[0]).toBe(held[0]);
  });

  it('replaces every overlapping bar and keeps held bars the backfill does not cover', () => {
    const held = [candle(0, 10), candle(1, 11), candle(2, 12), candle(5, 15)];
    const merged = mergeBars(held, [candle(1, 21), candle(2, 22), candle(3, 23)]);
    expect(times(merged)).toEqual([0, 1, 2, 3, 5]);
    expect(merged.map((c) => c.close)).toEqual([10, 21, 22, 23, 15]);
  });

  it('prepends older history in order', () => {
    const held = [candle(10, 1), candle(11, 1)];
    expect(times(mergeBars(held, [candle(7, 1), candle(8, 1), candle(9, 1)]))).toEqual([7, 8, 9, 10, 11]);
  });

  it('sorts an unordered backfill and collapses duplicates within it to the last', () => {
    const merged = mergeBars([candle(0, 1)], [candle(2, 2), candle(1, 1), candle(2, 3)]);
    expect(times(merged)).toEqual([0, 1, 2]);
    expect(merged[2]?.close).toBe(3);
  });

  it('returns the same array when the backfill brings nothing new', () => {
    const held = [candle(0, 10), candle(1, 11)];
    expect(mergeBars(held, [])).toBe(held);
    expect(mergeBars(held, [candle(1, 11)])).toBe(held);
  });

  it('starts from nothing', () => {
    expect(times(mergeBars([], [candle(1, 1), candle(0, 1)]))).toEqual([0, 1]);
  });
});
