import { Money } from '../kernel/index.js';

/** The largest peak-to-trough fall of an equity curve, in dollars and as a fraction of the peak (exact). */
export function maxDrawdown(equity: readonly Money[]): { amount: Money; fraction: Money } {
  let peak: Money | null = null;
  let amount = new Money(0);
  let fraction = new Money(0);
  for (const value of equity) {
    if (peak === null || value.gt(peak)) peak = value;
    const fall = peak.minus(value);
    if (fall.gt(amount)) {
      amount = fall;
      fraction = peak.isZero() ? new Money(0) : fall.dividedBy(peak);
    }
  }
  return { amount, fraction };
}

/** The worst drawdown of a float64 valuation series and how long it lasted. */
export type DrawdownStats = {
  /** Largest fall from a running peak as a positive fraction of that peak (0.2 = −20 %). */
  readonly maxDrawdown: number;
  /** Index of the peak before the worst trough, and of the trough; -1 when the series never fell. */
  readonly peakIndex: number;
  readonly troughIndex: number;
  /** First index at or above the peak again, or null when the series ended under water. */
  readonly recoveryIndex: number | null;
  /** Points from the peak to the recovery (or to the last point when not recovered). */
  readonly durationBars: number;
  /** `times[end] - times[peak]` for the same span, when times are given. */
  readonly durationMs: number;
  /** The longest stretch, in points, spent below a previous peak (any drawdown). */
  readonly longestUnderwaterBars: number;
};

/**
 * Worst peak-to-trough fall of `values`, its duration from peak to recovery, and the longest time under water.
 * With `start`, the series is read as if `start.value` (at `start.time`) came first — a starting balance before the
 * first mark — and indices count it as point 0, without copying the series.
 */
export function drawdownStats(
  values: ArrayLike<number>,
  times?: ArrayLike<number>,
  start?: { readonly value: number; readonly time: number },
): DrawdownStats {
  const shift = start ? 1 : 0;
  const length = values.length + shift;
  let peak = start ? start.value : Number.NEGATIVE_INFINITY;
  let peakAt = start ? 0 : -1;
  let worst = 0;
  let worstPeak = -1;
  let worstTrough = -1;
  let longest = 0;
  // Plain loops over `values` (index i is point i + shift): this runs over million-bar equity curves.
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    const i = k + shift;
    if (v >= peak) {
      if (peakAt >= 0 && i - peakAt > 1) longest = Math.max(longest, i - peakAt);
      peak = v;
      peakAt = i;
      continue;
    }
    const fall = peak > 0 ? (peak - v) / peak : 0;
    if (fall > worst) {
      worst = fall;
      worstPeak = peakAt;
      worstTrough = i;
    }
  }
  if (peakAt >= 0 && length > 0) longest = Math.max(longest, length - 1 - peakAt);
  let recovery: number | null = null;
  if (worstPeak >= 0) {
    const level = worstPeak < shift ? start!.value : values[worstPeak - shift]!;
    for (let k = worstTrough + 1 - shift; k < values.length; k++)
      if (values[k]! >= level) {
        recovery = k + shift;
        break;
      }
  }
  const end = worstPeak < 0 ? -1 : (recovery ?? length - 1);
  const timeAt = (i: number): number => (i < shift ? start!.time : times![i - shift]!);
  return {
    maxDrawdown: worst,
    peakIndex: worstPeak,
    troughIndex: worstTrough,
    recoveryIndex: recovery,
    durationBars: worstPeak < 0 ? 0 : end - worstPeak,
    durationMs: worstPeak < 0 || !times ? 0 : timeAt(end) - timeAt(worstPeak),
    longestUnderwaterBars: longest,
  };
}
