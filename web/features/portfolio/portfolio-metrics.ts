import { exchangeDay } from '../markets/format.js';

/** The portfolio history as GET /api/v1/portfolio/history returns it (parallel arrays). */
export interface EquityHistory {
  timestamp: readonly number[];
  equity: readonly number[];
  base_value: number;
}

/** Summary figures of a history; amounts in dollars, fractions as 0.05 for 5 %. Null without data. */
export interface PortfolioMetrics {
  totalReturn: { amount: number; fraction: number };
  maxDrawdown: { amount: number; fraction: number };
  dayPnl: { amount: number; fraction: number };
}

// The history is Alpaca's (numbers, not decimal strings): these figures are for display only.
const fraction = (amount: number, base: number): number => (base === 0 ? 0 : amount / base);

/** The deepest fall from a running peak, in dollars and as a fraction of that peak. */
export function maxDrawdown(equity: readonly number[]): { amount: number; fraction: number } {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = { amount: 0, fraction: 0 };
  for (const value of equity) {
    peak = Math.max(peak, value);
    const drop = fraction(peak - value, peak);
    if (drop > worst.fraction) worst = { amount: peak - value, fraction: drop };
  }
  return worst;
}

/**
 * Total return (last equity against the period's base value), max drawdown, and the day's P&L
 * (last equity against the last point of the previous exchange day, or the base if there is none).
 */
export function portfolioMetrics(history: EquityHistory): PortfolioMetrics | null {
  const { equity, timestamp } = history;
  const last = equity.at(-1);
  const lastTime = timestamp.at(-1);
  if (last === undefined || lastTime === undefined) return null;
  const base = history.base_value > 0 ? history.base_value : (equity[0] ?? last);
  const today = exchangeDay(lastTime);
  let previousClose = base;
  for (let i = timestamp.length - 1; i >= 0; i -= 1) {
    const time = timestamp[i];
    const value = equity[i];
    if (time !== undefined && value !== undefined && exchangeDay(time) < today) {
      previousClose = value;
      break;
    }
  }
  return {
    totalReturn: { amount: last - base, fraction: fraction(last - base, base) },
    maxDrawdown: maxDrawdown([base, ...equity]),
    dayPnl: { amount: last - previousClose, fraction: fraction(last - previousClose, previousClose) },
  };
}

/** One bar of the allocation list: a symbol and its share of the absolute market value. */
export interface AllocationSlice {
  symbol: string;
  marketValue: number;
  fraction: number;
}

/** Positions' weights by absolute market value, largest first. */
export function allocation(
  positions: readonly { symbol: string; market_value: string }[],
): AllocationSlice[] {
  const values = positions.map((p) => ({
    symbol: p.symbol,
    marketValue: Math.abs(Number(p.market_value)) || 0,
  }));
  const total = values.reduce((sum, v) => sum + v.marketValue, 0);
  return values
    .map((v) => ({ ...v, fraction: fraction(v.marketValue, total) }))
    .sort((a, b) => b.marketValue - a.marketValue);
}
