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
