/** Mean of `xs` (NaN when empty). */
export function mean(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  return sum / xs.length;
}

/** Sample standard deviation (n - 1) of `xs`; NaN below two values. */
export function sampleStdev(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const m = mean(xs);
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (xs[i]! - m) ** 2;
  return Math.sqrt(sq / (n - 1));
}

/** Options shared by the annualised ratios. */
export type RatioOptions = {
  /** Return periods in a year: 252 for daily returns, 52 weekly, 12 monthly. */
  readonly periodsPerYear: number;
  /** Annual risk-free rate as a fraction (0.04 = 4 %); 0 by default. */
  readonly riskFreeRate?: number;
};

function excess(returns: ArrayLike<number>, options: RatioOptions): Float64Array {
  const rf = (1 + (options.riskFreeRate ?? 0)) ** (1 / options.periodsPerYear) - 1;
  const out = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) out[i] = returns[i]! - rf;
  return out;
}

/** Annualised Sharpe ratio of periodic returns: mean excess over its sample deviation × √periods; null when undefined (fewer than two returns or no variation). */
export function sharpeRatio(returns: ArrayLike<number>, options: RatioOptions): number | null {
  const x = excess(returns, options);
  const sd = sampleStdev(x);
  if (!(sd > 0)) return null;
  return (mean(x) / sd) * Math.sqrt(options.periodsPerYear);
}

/**
 * Annualised Sortino ratio: mean excess over the downside deviation (root mean square of the negative excess
 * returns, divided by all periods) × √periods; null when there is no downside or fewer than two returns.
 */
export function sortinoRatio(returns: ArrayLike<number>, options: RatioOptions): number | null {
  const x = excess(returns, options);
  if (x.length < 2) return null;
  let sq = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! < 0) sq += x[i]! ** 2;
  const downside = Math.sqrt(sq / x.length);
  if (!(downside > 0)) return null;
  return (mean(x) / downside) * Math.sqrt(options.periodsPerYear);
}

/** Calmar ratio: CAGR over the maximum drawdown (as positive fractions); null when either is missing or there was no drawdown. */
export function calmarRatio(cagr: number | null, maxDrawdown: number): number | null {
  if (cagr === null || !(maxDrawdown > 0)) return null;
  return cagr / maxDrawdown;
}
