import { describe, expect, it } from 'vitest';
import type { WireBar } from '../../../contracts/market.js';
import type { StreamBar } from '../../../contracts/stream.js';
import { MAX_CANDLES, applyStreamBar, candlesFromHistory, mergeHistory, type Candle } from './bar-series.js';

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
const msg = (T: 'u' | 'b', m: number, c: number): StreamBar => ({ T, S: 'AAPL', ...wire(m, c) });
const candle = (m: number, c: number, closed = true): Candle => ({
  time: seconds(m),
  open: c,
  high: c + 1,
  low: c - 1,
  close: c,
  volume: 100,
  closed,
});

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

describe('applyStreamBar', () => {
  const history = candlesFromHistory([wire(0, 10), wire(1, 11)]);

  it('updates the forming candle in place when a u for its minute arrives', () => {
    const next = applyStreamBar(history, msg('u', 1, 11.5));
    expect(next).toHaveLength(2);
    expect(next[1]).toMatchObject({ time: seconds(1), close: 11.5, closed: false });
    expect(next[0]).toBe(history[0]);
  });

  it('appends a candle when a new minute starts', () => {
    const next = applyStreamBar(history, msg('u', 2, 12));
    expect(next.map((c) => c.time)).toEqual([seconds(0), seconds(1), seconds(2)]);
    expect(next[2]?.closed).toBe(false);
  });

  it('finalises a candle on b and then ignores a late u for that minute', () => {
    const closed = applyStreamBar(history, msg('b', 1, 11.25));
    expect(closed[1]).toMatchObject({ close: 11.25, closed: true });
    expect(applyStreamBar(closed, msg('u', 1, 99))).toBe(closed);
  });

  it('lets a b correct an earlier closed candle but never inserts an unknown older minute', () => {
    const candles = [candle(0, 10), candle(2, 12)];
    expect(applyStreamBar(candles, msg('b', 0, 10.5))[0]?.close).toBe(10.5);
    expect(applyStreamBar(candles, msg('b', 1, 11))).toBe(candles);
  });

  it('starts a series from nothing', () => {
    expect(applyStreamBar([], msg('u', 5, 50))).toEqual([candle(5, 50, false)]);
  });

  it('keeps at most MAX_CANDLES, dropping the oldest', () => {
    const full = Array.from({ length: MAX_CANDLES }, (_, i) => candle(i, 1));
    const next = applyStreamBar(full, msg('u', MAX_CANDLES, 2));
    expect(next).toHaveLength(MAX_CANDLES);
    expect(next[0]?.time).toBe(seconds(1));
    expect(next.at(-1)?.time).toBe(seconds(MAX_CANDLES));
  });

  it('ignores a message with an unparseable time', () => {
    expect(applyStreamBar(history, { ...msg('u', 3, 1), t: 'soon' })).toBe(history);
  });
});

describe('mergeHistory', () => {
  it('keeps live candles newer than the history and replaces an open last history candle', () => {
    const history = [candle(0, 10), candle(1, 11, false)];
    const live = [candle(1, 11.7, false), candle(2, 12, false)];
    expect(mergeHistory(history, live)).toEqual([
      candle(0, 10),
      candle(1, 11.7, false),
      candle(2, 12, false),
    ]);
  });

  it('prefers a closed history candle over a forming live one for the same minute', () => {
    const history = [candle(0, 10), candle(1, 11, true)];
    expect(mergeHistory(history, [candle(1, 99, false)])).toEqual(history);
  });

  it('returns the live candles when history is empty', () => {
    const live = [candle(3, 1)];
    expect(mergeHistory([], live)).toBe(live);
  });
});
