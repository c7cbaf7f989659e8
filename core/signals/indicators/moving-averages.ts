import { float64, runColumn } from './columns.js';
import { Ring } from './rolling.js';
import { checkPeriod, type Column, orNull } from './types.js';

/**
 * TA-Lib SMA: running sum (add the new value, divide, subtract the oldest), as TA-Lib does; lookback period − 1.
 * The window lives in a preallocated Float64Array ring; the slot after the newest value is the one leaving the
 * window, and holds 0 while the ring fills, so the subtraction needs no warm-up branch (x − 0 is exact).
 */
export class Sma {
  readonly lookback: number;
  value = NaN;
  private readonly ring: Float64Array;
  private pos = 0;
  private sum = 0;
  /** Values still to feed before the first output. */
  private warm: number;

  constructor(readonly period = 20) {
    checkPeriod('period', period, 1);
    this.lookback = period - 1;
    this.warm = period - 1;
    this.ring = new Float64Array(period);
  }

  /** Feeds one value; returns the SMA, or NaN while warming up. */
  next(x: number): number {
    // Same order as TA-Lib so the running sum drifts exactly as TA-Lib's does (bit-identical output).
    const total = this.sum + x;
    const ring = this.ring;
    let pos = this.pos;
    ring[pos] = x;
    pos = pos + 1 === this.period ? 0 : pos + 1;
    this.pos = pos;
    this.sum = total - ring[pos]!;
    if (this.warm > 0) {
      this.warm--;
      return NaN;
    }
    return (this.value = total / this.period);
  }

  /** Feeds one value; returns the SMA or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** TA-Lib EMA: k = 2/(period+1), seeded with the SMA of the first `period` values; lookback period − 1. */
export class Ema {
  readonly lookback: number;
  value = NaN;
  /** The smoothing factor 2/(period + 1). */
  readonly k: number;
  private seed = 0;
  private count = 0;

  constructor(readonly period = 20) {
    checkPeriod('period', period, 1);
    this.lookback = period - 1;
    this.k = 2.0 / (period + 1);
  }

  /** Feeds one value; returns the EMA, or NaN while warming up. */
  next(x: number): number {
    if (this.count < this.period) return this.warmUp(x);
    const prev = this.value;
    return (this.value = (x - prev) * this.k + prev);
  }

  private warmUp(x: number): number {
    this.seed += x;
    if (++this.count < this.period) return NaN;
    return (this.value = this.seed / this.period);
  }

  /** Feeds one value; returns the EMA or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** TA-Lib WMA: weights 1..period (newest heaviest), TA-Lib's running sum and sub-sum; lookback period − 1. */
export class Wma {
  readonly lookback: number;
  value = NaN;
  private readonly ring: Ring;
  private readonly divider: number;
  private sum = 0;
  private sub = 0;
  private trailing = 0;
  private count = 0;

  constructor(readonly period = 20) {
    checkPeriod('period', period, 1);
    this.lookback = period - 1;
    this.ring = new Ring(period);
    this.divider = (period * (period + 1)) / 2;
  }

  /** Feeds one value; returns the WMA, or NaN while warming up. */
  next(x: number): number {
    this.ring.push(x);
    if (this.count < this.lookback) {
      this.sub += x;
      this.sum += x * ++this.count;
      return NaN;
    }
    this.sub += x;
    this.sub -= this.trailing;
    this.sum += x * this.period;
    this.trailing = this.ring.oldest();
    this.value = this.sum / this.divider;
    this.sum -= this.sub;
    return this.value;
  }

  /** Feeds one value; returns the WMA or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** TA-Lib DEMA: 2·EMA − EMA(EMA), each EMA SMA-seeded; lookback 2·(period − 1). */
export class Dema {
  readonly lookback: number;
  value = NaN;
  private readonly e1: Ema;
  private readonly e2: Ema;

  constructor(readonly period = 20) {
    this.e1 = new Ema(period);
    this.e2 = new Ema(period);
    this.lookback = 2 * (period - 1);
  }

  /** Feeds one value; returns the DEMA, or NaN while warming up. */
  next(x: number): number {
    const a = this.e1.next(x);
    if (a !== a) return NaN;
    const b = this.e2.next(a);
    if (b !== b) return NaN;
    this.value = 2.0 * a - b;
    return this.value;
  }

  /** Feeds one value; returns the DEMA or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** TA-Lib TEMA: EMA3 + (3·EMA1 − 3·EMA2), each EMA SMA-seeded; lookback 3·(period − 1). */
export class Tema {
  readonly lookback: number;
  value = NaN;
  private readonly e1: Ema;
  private readonly e2: Ema;
  private readonly e3: Ema;

  constructor(readonly period = 20) {
    this.e1 = new Ema(period);
    this.e2 = new Ema(period);
    this.e3 = new Ema(period);
    this.lookback = 3 * (period - 1);
  }

  /** Feeds one value; returns the TEMA, or NaN while warming up. */
  next(x: number): number {
    const a = this.e1.next(x);
    if (a !== a) return NaN;
    const b = this.e2.next(a);
    if (b !== b) return NaN;
    const c = this.e3.next(b);
    if (c !== c) return NaN;
    this.value = c + (3.0 * a - 3.0 * b);
    return this.value;
  }

  /** Feeds one value; returns the TEMA or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/**
 * Batch SMA over a column (NaN during warm-up): a plain loop doing exactly `Sma.next`'s arithmetic, so every value
 * is bit-identical to streaming (and to TA-Lib).
 */
export function sma(values: Column, period = 20): Float64Array {
  checkPeriod('period', period, 1);
  const x = float64(values);
  const n = x.length;
  const out = new Float64Array(n);
  const lookback = period - 1;
  const warm = Math.min(lookback, n);
  let sum = 0;
  for (let i = 0; i < warm; i++) {
    sum += x[i]!;
    out[i] = NaN;
  }
  for (let i = lookback; i < n; i++) {
    const total = sum + x[i]!;
    out[i] = total / period;
    sum = total - x[i - lookback]!;
  }
  return out;
}
/** Batch EMA over a column (NaN during warm-up): `Ema.next`'s arithmetic in a plain loop (bit-identical). */
export function ema(values: Column, period = 20): Float64Array {
  checkPeriod('period', period, 1);
  const x = float64(values);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  if (n < period) return out;
  const k = 2.0 / (period + 1);
  let seed = 0;
  for (let i = 0; i < period; i++) seed += x[i]!;
  let value = seed / period;
  out[period - 1] = value;
  for (let i = period; i < n; i++) out[i] = value = (x[i]! - value) * k + value;
  return out;
}
/** Batch WMA over a column (NaN during warm-up). */
export const wma = (values: Column, period = 20): Float64Array => runColumn(new Wma(period), values);
/** Batch DEMA over a column (NaN during warm-up). */
export const dema = (values: Column, period = 20): Float64Array => runColumn(new Dema(period), values);
/** Batch TEMA over a column (NaN during warm-up). */
export const tema = (values: Column, period = 20): Float64Array => runColumn(new Tema(period), values);
