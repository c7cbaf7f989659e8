import type { Money } from '../../kernel/index.js';
import type { BacktestReport, CurveMetrics } from './backtest-report.js';
import type { RuleValues } from './backtester.js';

/** A metric's wire form: money as a decimal string, ratios as numbers (null when undefined, never NaN or ∞). */
type Ratio = number | null;

/** The JSON form of a report (money as strings, times as epoch ms), as the CLI, the API and stored jobs show it. */
export type BacktestReportJson = {
  bars: number;
  from: number | null;
  to: number | null;
  initialCash: string;
  finalCash: string;
  pendingAtEnd: 'entry' | 'exit' | null;
  metrics: {
    finalEquity: string;
    totalReturn: number;
    cagr: Ratio;
    sharpe: Ratio;
    sortino: Ratio;
    calmar: Ratio;
    maxDrawdown: number;
    maxDrawdownDurationBars: number;
    maxDrawdownDurationMs: number;
    exposure: number;
    closedTrades: number;
    winRate: Ratio;
    profitFactor: Ratio;
    expectancy: string;
    averageWin: string | null;
    averageLoss: string | null;
    largestWin: string | null;
    largestLoss: string | null;
    longestWinStreak: number;
    longestLossStreak: number;
  };
  buyAndHold: {
    finalEquity: string;
    totalReturn: number;
    cagr: Ratio;
    sharpe: Ratio;
    sortino: Ratio;
    calmar: Ratio;
    maxDrawdown: number;
  };
  trades: {
    side: 'long' | 'short';
    qty: string;
    signalAt: number;
    entryAt: number;
    entryPrice: string;
    exitSignalAt: number | null;
    exitAt: number | null;
    exitPrice: string | null;
    commission: string;
    pnl: string | null;
    returnPct: Ratio;
    bars: number;
    entryValues: RuleValues;
    exitValues: RuleValues | null;
  }[];
  signals: { t: number; values: RuleValues }[];
  /** [time, equity] pairs, thinned to at most `maxEquityPoints` (the last point always kept). */
  equity: [number, number][];
};

const finite = (x: number | null): Ratio => (x === null || !Number.isFinite(x) ? null : x);
const cents = (x: number): string => (Math.round(x * 100) / 100).toFixed(2);
const str = (m: Money | null): string | null => (m === null ? null : m.toString());

function curve(m: CurveMetrics) {
  return {
    finalEquity: cents(m.finalEquity),
    totalReturn: m.totalReturn,
    cagr: finite(m.cagr),
    sharpe: finite(m.sharpe),
    sortino: finite(m.sortino),
    calmar: finite(m.calmar),
    maxDrawdown: m.maxDrawdown,
  };
}

/** The report as plain JSON; the equity curve is thinned to `maxEquityPoints` (default 2,000). */
export function backtestJson(report: BacktestReport, maxEquityPoints = 2_000): BacktestReportJson {
  const m = report.metrics;
  const n = report.equity.length;
  const stride = Math.max(1, Math.ceil(n / maxEquityPoints));
  const equity: [number, number][] = [];
  for (let i = 0; i < n; i += stride)
    equity.push([report.times[i]!, Math.round(report.equity[i]! * 100) / 100]);
  if (n > 0 && (n - 1) % stride !== 0)
    equity.push([report.times[n - 1]!, Math.round(report.equity[n - 1]! * 100) / 100]);
  return {
    bars: report.bars,
    from: report.from,
    to: report.to,
    initialCash: report.initialCash.toString(),
    finalCash: report.finalCash.toString(),
    pendingAtEnd: report.pendingAtEnd,
    metrics: {
      ...curve(m),
      maxDrawdownDurationBars: m.maxDrawdownDurationBars,
      maxDrawdownDurationMs: m.maxDrawdownDurationMs,
      exposure: m.exposure,
      closedTrades: m.closedTrades,
      winRate: finite(m.winRate),
      profitFactor: finite(m.profitFactor),
      expectancy: m.expectancy.toDecimalPlaces(2).toString(),
      averageWin: str(m.averageWin?.toDecimalPlaces(2) ?? null),
      averageLoss: str(m.averageLoss?.toDecimalPlaces(2) ?? null),
      largestWin: str(m.largestWin),
      largestLoss: str(m.largestLoss),
      longestWinStreak: m.longestWinStreak,
      longestLossStreak: m.longestLossStreak,
    },
    buyAndHold: curve(report.buyAndHold),
    trades: report.trades.map((t) => ({
      side: t.side,
      qty: t.qty.toString(),
      signalAt: t.signalAt,
      entryAt: t.entryAt,
      entryPrice: t.entryPrice.toString(),
      exitSignalAt: t.exitSignalAt,
      exitAt: t.exitAt,
      exitPrice: str(t.exitPrice),
      commission: t.entryCommission.plus(t.exitCommission).toString(),
      pnl: str(t.pnl),
      returnPct: finite(t.returnPct),
      bars: t.bars,
      entryValues: t.entryValues,
      exitValues: t.exitValues,
    })),
    signals: report.signals.map((s) => ({ t: s.t, values: s.values })),
    equity,
  };
}
