import { describe, expect, it } from 'vitest';
import { indexAt, legendFor } from './chart-legend.js';

const bar = (time: number, open: number, close: number) => ({
  time,
  open,
  high: close + 1,
  low: open - 1,
  close,
  volume: time * 10,
});
const candles = [bar(60, 10, 11), bar(120, 11, 12), bar(180, 12, 9)];

describe('legendFor', () => {
  it('shows the last bar and its change from the previous close when not hovering', () => {
    expect(legendFor(candles, null)).toMatchObject({
      time: 180,
      close: 9,
      volume: 1800,
      change: -3,
      changeFraction: -0.25,
    });
  });

  it('shows the hovered bar', () => {
    expect(legendFor(candles, 120)).toMatchObject({ open: 11, close: 12, change: 1 });
  });

  it('measures the first bar against its own open, and is null without bars', () => {
    expect(legendFor(candles, 60)).toMatchObject({ change: 1, changeFraction: 0.1 });
    expect(legendFor([], null)).toBeNull();
  });
});

describe('indexAt', () => {
  it('finds a bar by time, or -1', () => {
    expect(indexAt(candles, 180)).toBe(2);
    expect(indexAt(candles, 100)).toBe(-1);
  });
});
