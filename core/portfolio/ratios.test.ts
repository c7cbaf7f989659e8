import { describe, expect, it } from 'vitest';
import { Money } from '../kernel/index.js';
import { drawdownStats } from './drawdown.js';
import { calmarRatio, sharpeRatio, sortinoRatio } from './ratios.js';
import { cagr, periodEnds, periodReturns, timeWeightedReturn } from './returns.js';
import { tradeStats } from './trade-stats.js';

describe('sharpeRatio and sortinoRatio', () => {
  it('annualise the mean over the sample deviation and over the downside deviation when returns vary', () => {
    const returns = [0.01, -0.02, 0.03, 0.01];
    // mean 0.0075; sample sd = sqrt(0.001275 / 3); downside = sqrt(0.0004 / 4) = 0.01
    expect(sharpeRatio(returns, { periodsPerYear: 252 })).toBeCloseTo(
      (0.0075 / Math.sqrt(0.001275 / 3)) * Math.sqrt(252),
      12,
    );
    expect(sortinoRatio(returns, { periodsPerYear: 252 })).toBeCloseTo(0.75 * Math.sqrt(252), 12);
    expect(sharpeRatio([0.01, 0.01], { periodsPerYear: 252 })).toBeNull();
    expect(sortinoRatio([0.01, 0.02], { periodsPerYear: 252 })).toBeNull();
  });
});

describe('cagr and timeWeightedReturn', () => {
  it('compound growth per year, and ignore deposits when chaining period returns', () => {
    expect(cagr(100, 121, 2)).toBeCloseTo(0.1, 12);
    expect(calmarRatio(0.1, 0.25)).toBeCloseTo(0.4, 12);
    // 100 → 110 (+10 %) → 121 (+10 %), then a 50 deposit → 171: TWR 21 %, not the 71 % the raw values show.
    expect(timeWeightedReturn([100, 110, 171], [0, 0, 50])).toBeCloseTo(0.21, 12);
    expect(Array.from(periodReturns([100, 110, 99]))).toEqual([0.10000000000000009, -0.09999999999999998]);
  });

  it('samples the last point of each period when times cross period boundaries', () => {
    expect(Array.from(periodEnds([1, 2, 11, 12, 13, 25], (t) => Math.floor(t / 10)))).toEqual([1, 4, 5]);
  });
});

describe('drawdownStats', () => {
  it('measures the worst fall and how long from its peak until the curve got back', () => {
    const dd = drawdownStats([100, 120, 90, 96, 121, 110], [0, 1, 2, 3, 4, 5]);
    expect(dd).toMatchObject({
      peakIndex: 1,
      troughIndex: 2,
      recoveryIndex: 4,
      durationBars: 3,
      durationMs: 3,
    });
    expect(dd.maxDrawdown).toBeCloseTo(0.25, 12);
    expect(dd.longestUnderwaterBars).toBe(3);
  });

  it('reads a starting value as point 0 without copying, the same as prepending it', () => {
    const values = [90, 96, 130, 100, 104];
    const times = [10, 20, 30, 40, 50];
    const prepended = drawdownStats([120, ...values], [10, ...times]);
    const started = drawdownStats(values, times, { value: 120, time: 10 });
    expect(started).toEqual(prepended);
    // 120 → 90 (−25 %) is worse than 130 → 100; back to 120 at 130.
    expect(started).toMatchObject({
      peakIndex: 0,
      troughIndex: 1,
      recoveryIndex: 3,
      durationBars: 3,
      durationMs: 20,
    });
    expect(started.maxDrawdown).toBeCloseTo(0.25, 12);
    // The fall from the starting value on the first mark is seen only with the start.
    expect(drawdownStats([90, 96], [10, 20], { value: 120, time: 0 }).maxDrawdown).toBeCloseTo(0.25, 12);
    expect(drawdownStats([90, 96], [10, 20]).maxDrawdown).toBe(0);
  });
});

describe('tradeStats', () => {
  it('counts wins, losses, streaks, profit factor and expectancy exactly when trades are mixed', () => {
    const s = tradeStats(['100', '-50', '-25', '200', '0', '75'].map((x) => new Money(x)));
    expect(s).toMatchObject({ trades: 6, wins: 3, losses: 2, longestWinStreak: 1, longestLossStreak: 2 });
    expect(s.winRate).toBe(0.5);
    expect(s.profitFactor).toBeCloseTo(5, 12);
    expect(s.expectancy.toString()).toBe('50');
    expect([s.averageWin?.toString(), s.averageLoss?.toString()]).toEqual(['125', '-37.5']);
    expect([s.largestWin?.toString(), s.largestLoss?.toString()]).toEqual(['200', '-50']);
  });
});
