import { type Money } from '../../kernel/index.js';
import { DAY_MS } from '../../kernel/index.js';
import { nyWallToUtc, exchangeDay } from '../../market-data/ny-time.js';
import { bucketEnd, isIntraday, type Timeframe } from '../../market-data/timeframe.js';
import {
  cagr,
  calmarRatio,
  drawdownStats,
  periodEnds,
  periodReturns,
  sharpeRatio,
  sortinoRatio,
  totalReturn,
  tradeStats,
} from '../../portfolio/index.js';
import type { BacktestRun, BacktestSignal, BacktestTrade } from './backtester.js';

const YEAR_MS = 365.25 * DAY_MS;

/** Performance of one equity curve (float64 ratios). */
export type CurveMetrics = {
  readonly finalEquity: number;
  readonly totalReturn: number;
  readonly cagr: number | null;
  /** Annualised from daily returns (intraday and daily bars), weekly or monthly returns otherwise. */
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  readonly maxDrawdown: number;
  /** Peak to recovery (or to the end when not recovered) of the worst drawdown. */
  readonly maxDrawdownDurationBars: number;
  readonly maxDrawdownDurationMs: number;
};

/** Everything a backtest reports. Money is exact (`Money`); ratios are float64. */
export type BacktestReport = {
  readonly bars: number;
  readonly from: number | null;
  readonly to: number | null;
  readonly initialCash: Money;
  readonly finalCash: Money;
  readonly trades: readonly BacktestTrade[];
  readonly signals: readonly BacktestSignal[];
  readonly pendingAtEnd: 'entry' | 'exit' | null;
  readonly times: Float64Array;
  readonly equity: Float64Array;
  readonly metrics: CurveMetrics & {
    /** Fraction of bars with a position at the close. */
    readonly exposure: number;
    readonly closedTrades: number;
    readonly winRate: number | null;
    readonly profitFactor: number | null;
    readonly expectancy: Money;
    readonly averageWin: Money | null;
    readonly averageLoss: Money | null;
    readonly largestWin: Money | null;
    readonly largestLoss: Money | null;
    readonly longestWinStreak: number;
    readonly longestLossStreak: number;
  };
  readonly buyAndHold: CurveMetrics;
};

/** The exchange day of each time, computing a day only when a time crosses the next New York midnight. */
function dayOfFn(): (t: number) => number {
  let day = Number.NaN;
  let next = Number.NEGATIVE_INFINITY;
  let start = Number.POSITIVE_INFINITY;
  return (t) => {
    if (t >= next || t < start) {
      day = exchangeDay(t);
      start = nyWallToUtc(day, 0);
      next = nyWallToUtc(day + 1, 0);
    }
    return day;
  };
}

/** Where the return periods end: the last bar of each exchange day for intraday and daily bars, every bar otherwise. */
export function returnPeriods(times: Float64Array, tf: Timeframe): Int32Array | null {
  return isIntraday(tf) || tf.unit === 'Day' ? periodEnds(times, dayOfFn()) : null;
}

/** Metrics of `values` (float64, one per bar at `times`) starting from `initial`; `ends` from `returnPeriods`. */
export function curveMetrics(
  initial: number,
  times: Float64Array,
  values: Float64Array,
  tf: Timeframe,
  ends: Int32Array | null = returnPeriods(times, tf),
): CurveMetrics {
  const n = values.length;
  const last = n > 0 ? values[n - 1]! : initial;
  const daily = ends !== null;
  const count = ends ? ends.length : n;
  const series = new Float64Array(count + 1);
  series[0] = initial;
  for (let k = 0; k < count; k++) series[k + 1] = values[ends ? ends[k]! : k]!;
  const returns = periodReturns(series);
  const periodsPerYear = daily ? 252 : tf.unit === 'Week' ? 52 : 12 / tf.amount;
  const years = n > 0 ? (bucketEnd(times[n - 1]!, tf) - times[0]!) / YEAR_MS : 0;
  const growth = cagr(initial, last, years);
  // The starting cash is the first point, so a fall on the very first bar counts.
  const dd = drawdownStats(values, times, { value: initial, time: times[0] ?? 0 });
  return {
    finalEquity: last,
    totalReturn: totalReturn(initial, last),
    cagr: growth,
    sharpe: sharpeRatio(returns, { periodsPerYear }),
    sortino: sortinoRatio(returns, { periodsPerYear }),
    calmar: calmarRatio(growth, dd.maxDrawdown),
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownDurationBars: dd.durationBars,
    maxDrawdownDurationMs: dd.durationMs,
  };
}

/** Turns a run into the report: trades, equity curve, return and risk ratios, trade statistics, buy-and-hold. */
export function backtestReport(run: BacktestRun): BacktestReport {
  const tf = run.options.timeframe;
  const initial = run.options.initialCash.toNumber();
  const ends = returnPeriods(run.times, tf);
  const closed = run.trades.filter((t) => t.pnl !== null).map((t) => t.pnl!);
  const stats = tradeStats(closed);
  return {
    bars: run.bars,
    from: run.bars > 0 ? run.times[0]! : null,
    to: run.bars > 0 ? run.times[run.bars - 1]! : null,
    initialCash: run.options.initialCash,
    finalCash: run.cash,
    trades: run.trades,
    signals: run.signals,
    pendingAtEnd: run.pendingAtEnd,
    times: run.times,
    equity: run.equity,
    metrics: {
      ...curveMetrics(initial, run.times, run.equity, tf, ends),
      exposure: run.bars === 0 ? 0 : run.barsInMarket / run.bars,
      closedTrades: stats.trades,
      winRate: stats.winRate,
      profitFactor: stats.profitFactor,
      expectancy: stats.expectancy,
      averageWin: stats.averageWin,
      averageLoss: stats.averageLoss,
      largestWin: stats.largestWin,
      largestLoss: stats.largestLoss,
      longestWinStreak: stats.longestWinStreak,
      longestLossStreak: stats.longestLossStreak,
    },
    buyAndHold: curveMetrics(initial, run.times, run.buyAndHold, tf, ends),
  };
}
