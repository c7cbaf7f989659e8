import { describe, expect, it } from 'vitest';
import type { RuleBar } from '../rules/compile-rule.js';
import { firingPolicy } from '../rules/firing-policy.js';
import { compileRule } from '../rules/compile-rule.js';
import { resolveBacktest } from './backtest-options.js';
import { backtestReport } from './backtest-report.js';
import { Backtester } from './backtester.js';
import { runBacktest } from './run-backtest.js';
import { randomMinuteBars } from '../rules/testing/rule-bars.js';
import { signalFirings } from './signal-firings.js';
import { randomSeries } from '../indicators/testing/fixtures.js';

const DAY = 86_400_000;
const START = Date.parse('2024-03-04T05:00:00Z');
/** Daily bars from (open, close) pairs; high/low bracket them. */
function days(pairs: readonly (readonly [number, number])[]): RuleBar[] {
  return pairs.map(([o, c], i) => ({
    t: START + i * DAY,
    o,
    h: Math.max(o, c) + 1,
    l: Math.min(o, c) - 1,
    c,
    v: 1000,
  }));
}

describe('runBacktest', () => {
  it('decides at the close and fills at the next open with slippage and commission, never on the same bar', () => {
    // close > 104 first at bar 2 (close 105) → buy at bar 3 open 106 + 10 bps; close < 103 at bar 4 → sell at bar 5 open 101.
    const bars = days([
      [100, 101],
      [101, 103],
      [103, 105],
      [106, 107],
      [104, 102],
      [101, 100],
      [99, 98],
    ]);
    const report = runBacktest(bars, {
      entry: 'close > 104',
      exit: 'close < 103',
      timeframe: '1Day',
      sizing: { kind: 'qty', qty: 10 },
      slippageBps: 10,
      commission: { perOrder: '1.5' },
      initialCash: '10000',
    });
    expect(report.trades).toHaveLength(1);
    const t = report.trades[0]!;
    expect([t.signalAt, t.entryAt, t.exitSignalAt, t.exitAt]).toEqual([
      bars[2]!.t,
      bars[3]!.t,
      bars[4]!.t,
      bars[5]!.t,
    ]);
    expect(t.entryPrice.toString()).toBe('106.106');
    expect(t.exitPrice!.toString()).toBe('100.899');
    // (100.899 − 106.106) × 10 − 1.5 − 1.5
    expect(t.pnl!.toString()).toBe('-55.07');
    expect(report.finalCash.toString()).toBe('9944.93');
    expect(report.metrics.exposure).toBeCloseTo(2 / 7, 12);
    expect(report.equity[3]).toBeCloseTo(10000 - 1061.06 - 1.5 + 1070, 9);
    expect(report.metrics.closedTrades).toBe(1);
    expect(report.metrics.winRate).toBe(0);
  });

  it('sells short on entry and buys back on exit, sizing by percent of equity in whole shares', () => {
    const bars = days([
      [100, 99],
      [99, 95],
      [94, 90],
      [90, 92],
      [93, 94],
    ]);
    const report = runBacktest(bars, {
      entry: 'close < 96',
      exit: 'close > 91',
      timeframe: '1Day',
      side: 'short',
      sizing: { kind: 'pct_equity', pct: 50 },
    });
    const t = report.trades[0]!;
    expect(t.side).toBe('short');
    expect(t.qty.toString()).toBe('531'); // floor(50 000 / 94)
    expect(t.pnl!.toString()).toBe(String((94 - 93) * 531));
    expect(report.metrics.totalReturn).toBeCloseTo(531 / 100_000, 12);
  });

  it('reports the same signals as the firing policy replayed over the bars when the entry level stays true', () => {
    const s = randomSeries(3_000, 7);
    const bars = s.close.map((c, i) => ({
      t: s.time[i]!,
      o: s.open[i]!,
      h: s.high[i]!,
      l: s.low[i]!,
      c,
      v: s.volume[i]!,
    }));
    const source = 'close > sma(close, 20)';
    const report = runBacktest(bars, {
      entry: source,
      exit: 'close < sma(close, 50)',
      timeframe: '1Min',
      entryFiring: { mode: 'once_per_bar', cooldownBars: 5 },
    });
    const rule = compileRule(source, { timeframe: '1Min' });
    if (!rule.ok) throw new Error('rule');
    const expected = signalFirings(
      rule.rule,
      firingPolicy({ mode: 'once_per_bar', cooldownBars: 5 }),
      bars,
    ).firings;
    expect(report.signals.map((x) => x.t)).toEqual(expected.map((x) => x.t));
    expect(report.signals.length).toBeGreaterThan(10);
    expect(report.trades.every((t) => t.entryAt > t.signalAt)).toBe(true);
  });

  it('trades exactly as the bar-by-bar streaming backtester does (columnar evaluation changes nothing)', () => {
    const bars = randomMinuteBars(20_000, 11);
    const options = resolveBacktest({
      entry: 'crossover(sma(close, 20), sma(close, 50)) and rsi(14) < 70',
      exit: 'crossunder(sma(close, 20), sma(close, 50)) or rsi(14) > 80',
      timeframe: '1Min',
      sizing: { kind: 'pct_equity', pct: 100 },
      slippageBps: 5,
      commission: { perOrder: '1' },
    });
    const streamed = new Backtester(options);
    for (const bar of bars) streamed.onBar(bar);
    const want = backtestReport(streamed.result());
    const got = runBacktest(bars, options);
    expect(got.trades.length).toBeGreaterThan(20);
    expect(got.trades).toEqual(want.trades);
    expect(got.signals).toEqual(want.signals);
    expect(Array.from(got.equity)).toEqual(Array.from(want.equity));
    expect(got.finalCash.toString()).toBe(want.finalCash.toString());
  });

  it('throws the rule problem with its line and column when the exit does not check', () => {
    expect(() =>
      runBacktest([], { entry: 'close > 1', exit: 'close >\n  smaa(close, 3)', timeframe: '1Day' }),
    ).toThrow(/exit rule: 2:3:/);
  });
});
