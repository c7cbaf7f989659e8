import { describe, expect, it } from 'vitest';
import { BacktestReport } from '../../../contracts/signals.js';
import {
  duration,
  equitySeries,
  formatValues,
  metricRows,
  pct,
  ratio,
  tradeMarkers,
  usd,
} from './backtest-report.js';

const H = 3_600_000;
const t0 = Date.UTC(2026, 10, 2, 15);

const report = BacktestReport.parse({
  bars: 120,
  from: t0,
  to: t0 + 119 * H,
  initialCash: '100000',
  finalCash: '101250.5',
  pendingAtEnd: null,
  metrics: {
    finalEquity: '101250.5',
    totalReturn: 0.012505,
    cagr: 0.4123,
    sharpe: 1.234,
    sortino: null,
    calmar: 2.5,
    maxDrawdown: 0.0321,
    maxDrawdownDurationBars: 14,
    maxDrawdownDurationMs: 2 * 86_400_000 + 5 * H,
    exposure: 0.4,
    closedTrades: 2,
    winRate: 0.5,
    profitFactor: 3.1,
    expectancy: '625.25',
    averageWin: '1500',
    averageLoss: '-249.5',
    largestWin: '1500',
    largestLoss: '-249.5',
    longestWinStreak: 1,
    longestLossStreak: 1,
  },
  buyAndHold: {
    finalEquity: '99000',
    totalReturn: -0.01,
    cagr: -0.2,
    sharpe: -0.5,
    sortino: -0.7,
    calmar: null,
    maxDrawdown: 0.05,
  },
  trades: [
    {
      side: 'long',
      qty: '10',
      signalAt: t0 + 4 * H,
      entryAt: t0 + 5 * H,
      entryPrice: '100.5',
      exitSignalAt: t0 + 9 * H,
      exitAt: t0 + 10 * H,
      exitPrice: '250.5',
      commission: '0',
      pnl: '1500',
      returnPct: 1.4925,
      bars: 5,
      entryValues: { 'sma(close, 10)': 100.25, 'sma(close, 30)': 100.125 },
      exitValues: null,
    },
    {
      side: 'short',
      qty: '5',
      signalAt: t0 + 20 * H,
      entryAt: t0 + 21 * H,
      entryPrice: '100',
      exitSignalAt: null,
      exitAt: null,
      exitPrice: null,
      commission: '1',
      pnl: null,
      returnPct: null,
      bars: 3,
      entryValues: {},
      exitValues: null,
    },
  ],
  signals: [],
  equity: [
    [t0, 100000],
    [t0 + 1000, 100010],
    [t0 + H, 100500],
  ],
});

describe('formatting', () => {
  it('shows fractions as percentages, ratios to two places, and missing figures as a dash', () => {
    expect(pct(0.012505, true)).toBe('+1.25%');
    expect(pct(-0.2, true)).toBe('-20.00%');
    expect(pct(null)).toBe('—');
    expect(ratio(1.234)).toBe('1.23');
    expect(ratio(null)).toBe('—');
    expect(usd('1500', true)).toBe('+$1,500.00');
    expect(usd('-249.5', true)).toBe('-$249.50');
    expect(usd(null)).toBe('—');
    expect(duration(2 * 86_400_000 + 5 * H)).toBe('2d 5h');
    expect(duration(90 * 60_000)).toBe('1h 30m');
    expect(formatValues({ 'sma(close, 10)': 100.25, close: 101, rsi: null })).toBe(
      'sma(close, 10) = 100.25 · close = 101 · rsi = —',
    );
    expect(formatValues({})).toBe('—');
  });
});

describe('metricRows', () => {
  it('lists every metric of the report, with buy-and-hold beside the curve figures', () => {
    const rows = metricRows(report);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(rows.map((r) => r.key)).toEqual([
      'totalReturn',
      'finalEquity',
      'cagr',
      'sharpe',
      'sortino',
      'calmar',
      'maxDrawdown',
      'maxDrawdownDuration',
      'exposure',
      'closedTrades',
      'winRate',
      'profitFactor',
      'expectancy',
      'averageWin',
      'averageLoss',
      'largestWin',
      'largestLoss',
      'longestWinStreak',
      'longestLossStreak',
    ]);
    expect(byKey.totalReturn).toEqual({
      key: 'totalReturn',
      label: 'Total return',
      value: '+1.25%',
      buyAndHold: '-1.00%',
      tone: 'up',
    });
    expect(byKey.sortino).toMatchObject({ value: '—', buyAndHold: '-0.70' });
    expect(byKey.maxDrawdown).toMatchObject({ value: '-3.21%', buyAndHold: '-5.00%', tone: 'down' });
    expect(byKey.maxDrawdownDuration?.value).toBe('14 bars (2d 5h)');
    expect(byKey.expectancy).toMatchObject({ value: '+$625.25', tone: 'up' });
    expect(byKey.winRate?.value).toBe('50.00%');
    expect(byKey.exposure?.value).toBe('40.00%');
  });
});

describe('tradeMarkers', () => {
  it('marks long entries below the bar and exits above, shorts the other way, in time order', () => {
    expect(tradeMarkers(report)).toEqual([
      { time: (t0 + 5 * H) / 1000, position: 'belowBar', shape: 'arrowUp', tone: 'up', text: 'Buy 10' },
      {
        time: (t0 + 10 * H) / 1000,
        position: 'aboveBar',
        shape: 'arrowDown',
        tone: 'down',
        text: 'Sell +$1,500.00',
      },
      { time: (t0 + 21 * H) / 1000, position: 'aboveBar', shape: 'arrowDown', tone: 'down', text: 'Short 5' },
    ]);
  });
});

describe('equitySeries', () => {
  it('converts to epoch seconds and keeps times strictly ascending (last value in a second wins)', () => {
    expect(equitySeries(report)).toEqual({
      timestamp: [t0 / 1000, t0 / 1000 + 1, (t0 + H) / 1000],
      equity: [100000, 100010, 100500],
    });
  });
});
