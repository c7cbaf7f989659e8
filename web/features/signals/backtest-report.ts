import type { BacktestReport } from '../../../contracts/signals.js';

/** One row of the metrics table: the strategy's figure beside buy-and-hold's where there is one. */
export interface MetricRow {
  key: string;
  label: string;
  value: string;
  /** The same figure for buying and holding over the period, when it has one. */
  buyAndHold?: string;
  tone?: 'up' | 'down';
}

const dash = '—';
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const signedMoney = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  signDisplay: 'exceptZero',
});

/** A fraction as a percentage: 0.1234 → `12.34%`; null → `—`. */
export function pct(value: number | null, signed = false): string {
  if (value === null || !Number.isFinite(value)) return dash;
  const text = `${(value * 100).toFixed(2)}%`;
  return signed && value > 0 ? `+${text}` : text;
}

/** A ratio to two places; null (undefined, e.g. no losing trade) → `—`. */
export function ratio(value: number | null): string {
  return value === null || !Number.isFinite(value) ? dash : value.toFixed(2);
}

/** A decimal-string amount of dollars; null → `—`. Display only: the string stays the exact value. */
export function usd(value: string | null, signed = false): string {
  if (value === null) return dash;
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  return (signed ? signedMoney : money).format(n);
}

/** A duration in ms as days and hours: `3d 4h`, `5h 20m`, `0m`. */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m`;
}

const tone = (n: number | null): 'up' | 'down' | undefined =>
  n === null || n === 0 || !Number.isFinite(n) ? undefined : n > 0 ? 'up' : 'down';

/** Every figure of a report as table rows, in the order a trader reads them. */
export function metricRows(report: BacktestReport): MetricRow[] {
  const m = report.metrics;
  const b = report.buyAndHold;
  const row = (r: MetricRow): MetricRow => {
    const out: MetricRow = { key: r.key, label: r.label, value: r.value };
    if (r.buyAndHold !== undefined) out.buyAndHold = r.buyAndHold;
    if (r.tone !== undefined) out.tone = r.tone;
    return out;
  };
  const toneOf = (v: number | null) => {
    const t = tone(v);
    return t === undefined ? {} : { tone: t };
  };
  return [
    row({
      key: 'totalReturn',
      label: 'Total return',
      value: pct(m.totalReturn, true),
      buyAndHold: pct(b.totalReturn, true),
      ...toneOf(m.totalReturn),
    }),
    row({
      key: 'finalEquity',
      label: 'Final equity',
      value: usd(m.finalEquity),
      buyAndHold: usd(b.finalEquity),
    }),
    row({
      key: 'cagr',
      label: 'CAGR',
      value: pct(m.cagr, true),
      buyAndHold: pct(b.cagr, true),
      ...toneOf(m.cagr),
    }),
    row({ key: 'sharpe', label: 'Sharpe ratio', value: ratio(m.sharpe), buyAndHold: ratio(b.sharpe) }),
    row({ key: 'sortino', label: 'Sortino ratio', value: ratio(m.sortino), buyAndHold: ratio(b.sortino) }),
    row({ key: 'calmar', label: 'Calmar ratio', value: ratio(m.calmar), buyAndHold: ratio(b.calmar) }),
    row({
      key: 'maxDrawdown',
      label: 'Max drawdown',
      value: pct(-Math.abs(m.maxDrawdown)),
      buyAndHold: pct(-Math.abs(b.maxDrawdown)),
      ...(m.maxDrawdown !== 0 ? { tone: 'down' as const } : {}),
    }),
    row({
      key: 'maxDrawdownDuration',
      label: 'Max drawdown duration',
      value: `${m.maxDrawdownDurationBars} bars (${duration(m.maxDrawdownDurationMs)})`,
    }),
    row({ key: 'exposure', label: 'Exposure (time in market)', value: pct(m.exposure) }),
    row({ key: 'closedTrades', label: 'Closed trades', value: String(m.closedTrades) }),
    row({ key: 'winRate', label: 'Win rate', value: pct(m.winRate) }),
    row({ key: 'profitFactor', label: 'Profit factor', value: ratio(m.profitFactor) }),
    row({
      key: 'expectancy',
      label: 'Expectancy per trade',
      value: usd(m.expectancy, true),
      ...toneOf(Number(m.expectancy)),
    }),
    row({ key: 'averageWin', label: 'Average win', value: usd(m.averageWin, true) }),
    row({ key: 'averageLoss', label: 'Average loss', value: usd(m.averageLoss, true) }),
    row({ key: 'largestWin', label: 'Largest win', value: usd(m.largestWin, true) }),
    row({ key: 'largestLoss', label: 'Largest loss', value: usd(m.largestLoss, true) }),
    row({ key: 'longestWinStreak', label: 'Longest winning streak', value: String(m.longestWinStreak) }),
    row({ key: 'longestLossStreak', label: 'Longest losing streak', value: String(m.longestLossStreak) }),
  ];
}

/** A chart marker: where (epoch seconds), which side of the bar, and its label. */
export interface ChartMarker {
  time: number;
  position: 'aboveBar' | 'belowBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle';
  tone: 'up' | 'down' | 'accent';
  text: string;
}

/**
 * Entry and exit markers for the price chart: a long entry is an up arrow below the bar, its exit
 * a down arrow above; a short is the mirror image. Sorted by time, as the chart needs.
 */
export function tradeMarkers(report: BacktestReport): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const t of report.trades) {
    const long = t.side === 'long';
    out.push({
      time: Math.floor(t.entryAt / 1000),
      position: long ? 'belowBar' : 'aboveBar',
      shape: long ? 'arrowUp' : 'arrowDown',
      tone: long ? 'up' : 'down',
      text: `${long ? 'Buy' : 'Short'} ${t.qty}`,
    });
    if (t.exitAt !== null)
      out.push({
        time: Math.floor(t.exitAt / 1000),
        position: long ? 'aboveBar' : 'belowBar',
        shape: long ? 'arrowDown' : 'arrowUp',
        tone: long ? 'down' : 'up',
        text: `${long ? 'Sell' : 'Cover'} ${t.pnl === null ? '' : usd(t.pnl, true)}`.trim(),
      });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The equity curve as parallel arrays of epoch seconds and values (strictly ascending times). */
export function equitySeries(report: BacktestReport): { timestamp: number[]; equity: number[] } {
  const timestamp: number[] = [];
  const equity: number[] = [];
  for (const [t, v] of report.equity) {
    const s = Math.floor(t / 1000);
    const last = timestamp.at(-1);
    if (last !== undefined && s <= last) {
      equity[equity.length - 1] = v;
      continue;
    }
    timestamp.push(s);
    equity.push(v);
  }
  return { timestamp, equity };
}

/** Operand values as `sma(close, 20) = 101.23 · close = 102.5` (null → `—`). */
export function formatValues(values: Readonly<Record<string, number | null>> | null): string {
  if (values === null) return dash;
  const entries = Object.entries(values);
  if (entries.length === 0) return dash;
  return entries
    .map(
      ([k, v]) =>
        `${k} = ${v === null ? dash : Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '')}`,
    )
    .join(' · ');
}
