import { runColumn } from './columns.js';
import { RollingExtreme } from './rolling.js';
import { checkPeriod, type Column, orNull } from './types.js';

/** TA-Lib MAX (isMax) or MIN over the last `period` values, current included; lookback period − 1. */
class Extreme {
  readonly lookback: number;
  value = NaN;
  private readonly window: RollingExtreme;
  private count = 0;

  constructor(
    readonly period: number,
    isMax: boolean,
  ) {
    checkPeriod('period', period, 2);
    this.lookback = period - 1;
    this.window = new RollingExtreme(period, isMax);
  }

  /** Feeds one value; returns the extreme, or NaN while warming up. */
  next(x: number): number {
    const v = this.window.push(x);
    if (this.count < this.lookback) {
      this.count++;
      return NaN;
    }
    this.value = v;
    return v;
  }

  /** Feeds one value; returns the extreme or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** TA-Lib MAX: highest of the last `period` values (amortised O(1) via a monotonic deque); lookback period − 1. */
export class Max extends Extreme {
  constructor(period = 20) {
    super(period, true);
  }
}

/** TA-Lib MIN: lowest of the last `period` values (amortised O(1) via a monotonic deque); lookback period − 1. */
export class Min extends Extreme {
  constructor(period = 20) {
    super(period, false);
  }
}

/** Batch MAX over a column (NaN during warm-up). */
export const max = (values: Column, period = 20): Float64Array => runColumn(new Max(period), values);
/** Batch MIN over a column (NaN during warm-up). */
export const min = (values: Column, period = 20): Float64Array => runColumn(new Min(period), values);
