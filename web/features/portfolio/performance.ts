import {
  periodReturns,
  sharpeRatio,
  sortinoRatio,
  timeWeightedReturn,
} from '../../../core/portfolio/index.js';
import { exchangeDay } from '../markets/format.js';
import type { EquityHistory } from './portfolio-metrics.js';

// The history is Alpaca's (numbers, not decimal strings): these figures are for display only.
const fraction = (amount: number, base: number): number => (base === 0 ? 0 : amount / base);

/** The account's value at the last point of each exchange day, oldest first (epoch seconds). */
export interface DailyClose {
  day: string;
  time: number;
  equity: number;
}

/** The last history point of each exchange day. */
export function dailyCloses(history: EquityHistory): DailyClose[] {
  const out: DailyClose[] = [];
  history.timestamp.forEach((time, i) => {
    const equity = history.equity[i];
    if (equity === undefined) return;
    const day = exchangeDay(time);
    const last = out.at(-1);
    if (last?.day === day) {
      last.time = time;
      last.equity = equity;
    } else out.push({ day, time, equity });
  });
  return out;
}

/** Risk and return over daily closes: time-weighted return, and Sharpe and Sortino annualised from daily returns. */
export interface RiskFigures {
  timeWeightedReturn: number;
  /** Null with fewer than two daily returns or no variation. */
  sharpe: number | null;
  sortino: number | null;
  /** Daily returns the ratios are computed from. */
  days: number;
}

/** Risk figures of daily closes starting from `base` (the value before the first close). */
export function riskFigures(closes: readonly DailyClose[], base: number): RiskFigures {
  const values = [base, ...closes.map((c) => c.equity)];
  const returns = periodReturns(values);
  return {
    // Paper accounts have no deposits or withdrawals, so no cash flows are taken out.
    timeWeightedReturn: timeWeightedReturn(values),
    sharpe: sharpeRatio(returns, { periodsPerYear: 252 }),
    sortino: sortinoRatio(returns, { periodsPerYear: 252 }),
    days: returns.length,
  };
}

/** One exchange day's profit or loss against the previous close (or the base for the first day). */
export interface DayPnl {
  day: string;
  amount: number;
  fraction: number;
}

/** P&L per exchange day, newest first. */
export function dailyPnl(closes: readonly DailyClose[], base: number): DayPnl[] {
  return closes
    .map((c, i) => {
      const before = i === 0 ? base : closes[i - 1]!.equity;
      return { day: c.day, amount: c.equity - before, fraction: fraction(c.equity - before, before) };
    })
    .reverse();
}

/** What a position contributes to exposure and allocation. */
export interface PositionValue {
  symbol: string;
  /** Signed: negative for a short, as Alpaca reports it. */
  market_value: string;
}

/** Long, short, gross and net market value as fractions of equity. */
export interface Exposure {
  long: number;
  short: number;
  gross: number;
  net: number;
}

export function exposure(positions: readonly PositionValue[], equity: number): Exposure {
  let long = 0;
  let short = 0;
  for (const p of positions) {
    const value = Number(p.market_value) || 0;
    if (value >= 0) long += value;
    else short -= value;
  }
  return {
    long: fraction(long, equity),
    short: fraction(short, equity),
    gross: fraction(long + short, equity),
    net: fraction(long - short, equity),
  };
}

/** One sector's share of the absolute market value. */
export interface SectorSlice {
  sector: string;
  marketValue: number;
  fraction: number;
  symbols: string[];
}

/** Positions' weights by sector (from the asset list; unknown symbols count as "Other"), largest first. */
export function sectorAllocation(
  positions: readonly PositionValue[],
  sectors: ReadonlyMap<string, string>,
): SectorSlice[] {
  const by = new Map<string, { marketValue: number; symbols: string[] }>();
  let total = 0;
  for (const p of positions) {
    const value = Math.abs(Number(p.market_value)) || 0;
    const sector = sectors.get(p.symbol) ?? 'Other';
    const slice = by.get(sector) ?? { marketValue: 0, symbols: [] };
    slice.marketValue += value;
    slice.symbols.push(p.symbol);
    by.set(sector, slice);
    total += value;
  }
  return [...by]
    .map(([sector, s]) => ({ sector, ...s, fraction: fraction(s.marketValue, total) }))
    .sort((a, b) => b.marketValue - a.marketValue);
}

/** The account against a benchmark held over the same days. */
export interface BenchmarkComparison {
  symbol: string;
  portfolioReturn: number;
  benchmarkReturn: number;
  /** Portfolio minus benchmark return. */
  excessReturn: number;
  /** The benchmark's value had `base` been invested at the first close before the period, per daily close. */
  curve: { time: number; value: number }[];
}

/**
 * Compares daily closes with a benchmark's daily bars: the benchmark is bought with `base` at the close of the last
 * bar before the first day (or that day's open when there is none) and held. Null without overlapping bars.
 */
export function compareWithBenchmark(
  symbol: string,
  closes: readonly DailyClose[],
  base: number,
  bars: readonly { t: string; o: number; c: number }[],
): BenchmarkComparison | null {
  const first = closes[0];
  const last = closes.at(-1);
  if (first === undefined || last === undefined || bars.length === 0) return null;
  const byDay = new Map(bars.map((b) => [exchangeDay(Date.parse(b.t) / 1000), b]));
  const firstBar = bars.findIndex((b) => exchangeDay(Date.parse(b.t) / 1000) >= first.day);
  if (firstBar === -1) return null;
  const entry = firstBar > 0 ? bars[firstBar - 1]!.c : bars[firstBar]!.o;
  if (!(entry > 0)) return null;
  const curve: { time: number; value: number }[] = [];
  let price = entry;
  for (const c of closes) {
    price = byDay.get(c.day)?.c ?? price;
    curve.push({ time: c.time, value: (base * price) / entry });
  }
  const portfolioReturn = fraction(last.equity - base, base);
  const benchmarkReturn = price / entry - 1;
  return { symbol, portfolioReturn, benchmarkReturn, excessReturn: portfolioReturn - benchmarkReturn, curve };
}
