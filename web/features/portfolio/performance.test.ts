import { describe, expect, it } from 'vitest';
import {
  compareWithBenchmark,
  dailyCloses,
  dailyPnl,
  exposure,
  riskFigures,
  sectorAllocation,
} from './performance.js';

// 2024-03-11..13 (Mon–Wed), New York 10:00 and 15:55 (EDT, UTC−4).
const at = (day: number, hour: number, minute = 0) => Date.UTC(2024, 2, day, hour + 4, minute) / 1000;

const history = {
  timestamp: [at(11, 10), at(11, 15, 55), at(12, 10), at(12, 15, 55), at(13, 15, 55)],
  equity: [100_500, 101_000, 99_000, 98_980, 100_970],
  base_value: 100_000,
};

describe('dailyCloses', () => {
  it('keeps the last point of each exchange day', () => {
    expect(dailyCloses(history)).toEqual([
      { day: '2024-03-11', time: at(11, 15, 55), equity: 101_000 },
      { day: '2024-03-12', time: at(12, 15, 55), equity: 98_980 },
      { day: '2024-03-13', time: at(13, 15, 55), equity: 100_970 },
    ]);
  });
});

describe('riskFigures and dailyPnl', () => {
  const closes = dailyCloses(history);

  it('computes daily P&L against the previous close, newest first', () => {
    const pnl = dailyPnl(closes, 100_000);
    expect(pnl.map((d) => [d.day, Math.round(d.amount)])).toEqual([
      ['2024-03-13', 1990],
      ['2024-03-12', -2020],
      ['2024-03-11', 1000],
    ]);
    expect(pnl[1]!.fraction).toBeCloseTo(-2020 / 101_000, 12);
  });

  it('annualises Sharpe and Sortino from daily returns', () => {
    const r = [0.01, -2020 / 101_000, 1990 / 98_980];
    const m = (r[0]! + r[1]! + r[2]!) / 3;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - m) ** 2, 0) / 2);
    const downside = Math.sqrt(r.reduce((s, x) => s + Math.min(0, x) ** 2, 0) / r.length);
    const f = riskFigures(closes, 100_000);
    expect(f.days).toBe(3);
    expect(f.timeWeightedReturn).toBeCloseTo(0.0097, 12);
    expect(f.sharpe).toBeCloseTo((m / sd) * Math.sqrt(252), 9);
    expect(f.sortino).toBeCloseTo((m / downside) * Math.sqrt(252), 9);
    expect(riskFigures(closes.slice(0, 1), 100_000).sharpe).toBeNull();
  });
});

describe('exposure and sectorAllocation', () => {
  const positions = [
    { symbol: 'AAPL', market_value: '30000' },
    { symbol: 'MSFT', market_value: '20000' },
    { symbol: 'XOM', market_value: '-10000' },
    { symbol: 'ZZZZ', market_value: '5000' },
  ];

  it('splits long and short market value against equity', () => {
    expect(exposure(positions, 100_000)).toEqual({ long: 0.55, short: 0.1, gross: 0.65, net: 0.45 });
  });

  it('groups absolute market value by sector, largest first, unknown symbols as Other', () => {
    const sectors = new Map([
      ['AAPL', 'Technology'],
      ['MSFT', 'Technology'],
      ['XOM', 'Energy'],
    ]);
    expect(sectorAllocation(positions, sectors)).toEqual([
      { sector: 'Technology', marketValue: 50_000, fraction: 50 / 65, symbols: ['AAPL', 'MSFT'] },
      { sector: 'Energy', marketValue: 10_000, fraction: 10 / 65, symbols: ['XOM'] },
      { sector: 'Other', marketValue: 5_000, fraction: 5 / 65, symbols: ['ZZZZ'] },
    ]);
  });
});

describe('compareWithBenchmark', () => {
  const closes = dailyCloses(history);
  const bar = (day: number, o: number, c: number) => ({ t: new Date(at(day, 0) * 1000).toISOString(), o, c });

  it('buys the benchmark at the close before the period and holds it', () => {
    const bars = [bar(8, 500, 500), bar(11, 501, 505), bar(12, 505, 495), bar(13, 495, 510)];
    const c = compareWithBenchmark('SPY', closes, 100_000, bars)!;
    expect(c.benchmarkReturn).toBeCloseTo(0.02, 12);
    expect(c.portfolioReturn).toBeCloseTo(0.0097, 12);
    expect(c.excessReturn).toBeCloseTo(0.0097 - 0.02, 12);
    expect(c.curve.map((p) => Math.round(p.value))).toEqual([101_000, 99_000, 102_000]);
  });

  it('starts from the first day open without an earlier bar, and is null without overlap', () => {
    const c = compareWithBenchmark('SPY', closes, 100_000, [bar(11, 400, 404), bar(13, 404, 410)])!;
    expect(c.curve.map((p) => Math.round(p.value))).toEqual([101_000, 101_000, 102_500]);
    expect(compareWithBenchmark('SPY', closes, 100_000, [bar(1, 1, 1)])).toBeNull();
    expect(compareWithBenchmark('SPY', [], 100_000, [bar(11, 1, 1)])).toBeNull();
  });
});
