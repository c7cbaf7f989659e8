import type { Money } from '../../core/kernel/index.js';
import type { EquityPoint } from './trading-store.js';

const UNIT_MS = { D: 86_400_000, W: 7 * 86_400_000, M: 30 * 86_400_000, A: 365 * 86_400_000 } as const;
const TIMEFRAME_MS = {
  '1Min': 60_000,
  '5Min': 5 * 60_000,
  '15Min': 15 * 60_000,
  '1H': 3_600_000,
  '1D': 86_400_000,
} as const;

/** A portfolio-history timeframe. */
export type HistoryTimeframe = keyof typeof TIMEFRAME_MS;

/** The span a period such as `1D`, `2W`, `1M` or `1A` covers, in ms. */
export function periodMs(period: string): number {
  const unit = period.at(-1) as keyof typeof UNIT_MS;
  return Number(period.slice(0, -1)) * (UNIT_MS[unit] ?? UNIT_MS.D);
}

/** Alpaca's default resolution for a span: minutes for a day, 15 minutes for a week, else days. */
export function defaultTimeframe(spanMs: number): HistoryTimeframe {
  if (spanMs <= UNIT_MS.D) return '1Min';
  if (spanMs <= UNIT_MS.W) return '15Min';
  return '1D';
}

/** Alpaca's portfolio history: the last equity of each bucket, P&L against the first, as parallel arrays. */
export interface PortfolioHistory {
  timestamp: number[];
  equity: number[];
  profit_loss: number[];
  profit_loss_pct: number[];
  base_value: number;
  timeframe: HistoryTimeframe;
}

const num = (m: Money) => Number(m.toFixed(4));

/**
 * Buckets equity snapshots by `timeframe` (left-labelled, epoch seconds), keeping each bucket's last point;
 * the base is the first point's equity, or `base` when there is none.
 */
export function portfolioHistory(
  points: readonly EquityPoint[],
  timeframe: HistoryTimeframe,
  base: Money,
): PortfolioHistory {
  const step = TIMEFRAME_MS[timeframe];
  const buckets = new Map<number, EquityPoint>();
  for (const p of points) buckets.set(Math.floor(p.at / step) * step, p);
  const baseValue = points[0]?.equity ?? base;
  const out: PortfolioHistory = {
    timestamp: [],
    equity: [],
    profit_loss: [],
    profit_loss_pct: [],
    base_value: num(baseValue),
    timeframe,
  };
  for (const [at, p] of buckets) {
    const pl = p.equity.minus(baseValue);
    out.timestamp.push(at / 1000);
    out.equity.push(num(p.equity));
    out.profit_loss.push(num(pl));
    out.profit_loss_pct.push(baseValue.isZero() ? 0 : Number(pl.dividedBy(baseValue).toFixed(6)));
  }
  return out;
}
