import { describe, expect, it } from 'vitest';
import { allocation, maxDrawdown, portfolioMetrics } from './portfolio-metrics.js';

// 2026-11-23 and 2026-11-24, 15:00 and 20:00 UTC (10:00 and 15:00 in New York).
const mon10 = Date.UTC(2026, 10, 23, 15) / 1000;
const mon15 = Date.UTC(2026, 10, 23, 20) / 1000;
const tue10 = Date.UTC(2026, 10, 24, 15) / 1000;
const tue15 = Date.UTC(2026, 10, 24, 20) / 1000;

describe('maxDrawdown', () => {
  it('measures the deepest fall from the running peak, not from the start', () => {
    expect(maxDrawdown([100, 120, 90, 130, 117])).toEqual({ amount: 30, fraction: 0.25 });
  });

  it('is zero when equity only rises', () => {
    expect(maxDrawdown([100, 101, 102])).toEqual({ amount: 0, fraction: 0 });
  });
});

describe('portfolioMetrics', () => {
  it('reports the return against the base and the day P&L against the previous exchange day', () => {
    const metrics = portfolioMetrics({
      timestamp: [mon10, mon15, tue10, tue15],
      equity: [100_500, 101_000, 99_000, 102_010],
      base_value: 100_000,
    });
    expect(metrics?.totalReturn.amount).toBe(2_010);
    expect(metrics?.totalReturn.fraction).toBeCloseTo(0.0201);
    expect(metrics?.dayPnl.amount).toBe(1_010);
    expect(metrics?.dayPnl.fraction).toBeCloseTo(0.01);
    expect(metrics?.maxDrawdown.amount).toBe(2_000);
  });

  it('measures the day from the base when the history starts today', () => {
    const metrics = portfolioMetrics({
      timestamp: [tue10, tue15],
      equity: [100_000, 99_500],
      base_value: 100_000,
    });
    expect(metrics?.dayPnl.amount).toBe(-500);
    expect(metrics?.maxDrawdown.fraction).toBeCloseTo(0.005);
  });

  it('has nothing to say about an empty history', () => {
    expect(portfolioMetrics({ timestamp: [], equity: [], base_value: 0 })).toBeNull();
  });
});

describe('allocation', () => {
  it('weights positions by absolute market value, largest first, shorts included', () => {
    const slices = allocation([
      { symbol: 'AAPL', market_value: '250' },
      { symbol: 'TSLA', market_value: '-750' },
    ]);
    expect(slices.map((s) => [s.symbol, s.fraction])).toEqual([
      ['TSLA', 0.75],
      ['AAPL', 0.25],
    ]);
  });
});
