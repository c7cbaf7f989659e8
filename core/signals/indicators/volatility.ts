import { ColumnBar, float64, runBars } from './columns.js';
import { Ema } from './moving-averages.js';
import { RollingExtreme } from './rolling.js';
import { checkPeriod, checkReal, type Column, type HlcBar, orNull } from './types.js';

const TA_EPSILON = 1e-14;

/** TA-Lib TRANGE of a bar given the previous close: max(h − l, |h − prevClose|, |l − prevClose|). */
export function trueRange(high: number, low: number, prevClose: number): number {
  let greatest = high - low;
  const toHigh = Math.abs(prevClose - high);
  if (toHigh > greatest) greatest = toHigh;
  const toLow = Math.abs(prevClose - low);
  if (toLow > greatest) greatest = toLow;
  return greatest;
}

/**
 * TA-Lib ATR (Wilder): true range from bar 1; the first ATR (bar `period`) is the SMA of TR[1..period],
 * then atr = (atr·(period−1) + tr)/period; lookback = period.
 */
export class Atr {
  readonly lookback: number;
  value = NaN;
  private prevClose = NaN;
  private count = 0;
  private sum = 0;

  constructor(readonly period = 14) {
    checkPeriod('period', period, 1);
    this.lookback = period;
  }

  /** Feeds one bar; returns the ATR, or NaN while warming up. */
  next(bar: HlcBar): number {
    const count = this.count;
    const prevClose = this.prevClose;
    this.prevClose = bar.close;
    if (count === 0) {
      this.count = 1;
      return NaN;
    }
    const tr = trueRange(bar.high, bar.low, prevClose);
    if (count <= this.period) {
      this.sum += tr;
      this.count = count + 1;
      if (count < this.period) return NaN;
      this.value = this.sum / this.period;
      return this.value;
    }
    let atr = this.value * (this.period - 1);
    atr += tr;
    this.value = atr / this.period;
    return this.value;
  }

  /** Feeds one bar; returns the ATR or null during warm-up. */
  update(bar: HlcBar): number | null {
    return orNull(this.next(bar));
  }
}

/**
 * TA-Lib STDDEV (population): sqrt(mean(x²) − mean(x)²) from TA-Lib's running sums, 0 when the variance is below
 * TA-Lib's epsilon (1e-14, e.g. a flat window), times `nbDev`; lookback period − 1. `mean` is the SMA.
 */
export class StdDev {
  readonly lookback: number;
  value = NaN;
  mean = NaN;
  /** The window in a preallocated ring; the slot after the newest is the value leaving it (0 while filling). */
  private readonly ring: Float64Array;
  private pos = 0;
  private sum = 0;
  private sumSq = 0;
  /** Values still to feed before the first output. */
  private warm: number;

  constructor(
    readonly period = 20,
    readonly nbDev = 1,
  ) {
    checkPeriod('period', period, 2);
    checkReal('nbDev', nbDev, -3e37, 3e37);
    this.lookback = period - 1;
    this.warm = period - 1;
    this.ring = new Float64Array(period);
  }

  /** Feeds one value; returns the standard deviation, or NaN while warming up. */
  next(x: number): number {
    // TA-Lib's order: add the new value (and its square), take the means, then subtract the oldest.
    const total = this.sum + x;
    const totalSq = this.sumSq + x * x;
    const ring = this.ring;
    let pos = this.pos;
    ring[pos] = x;
    pos = pos + 1 === this.period ? 0 : pos + 1;
    this.pos = pos;
    const oldest = ring[pos]!;
    this.sum = total - oldest;
    this.sumSq = totalSq - oldest * oldest;
    if (this.warm > 0) {
      this.warm--;
      return NaN;
    }
    const mean = total / this.period;
    const variance = totalSq / this.period - mean * mean;
    this.mean = mean;
    return (this.value = variance < TA_EPSILON ? 0.0 : Math.sqrt(variance) * this.nbDev);
  }

  /** Feeds one value; returns the standard deviation or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** Three bands around a middle line. */
export interface BandsValue {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

/** TA-Lib BBANDS with an SMA middle: middle ± nbDev × population STDDEV (0 on a flat window); lookback period − 1. */
export class Bbands implements BandsValue {
  readonly lookback: number;
  upper = NaN;
  middle = NaN;
  lower = NaN;
  /** The window in a preallocated ring; the slot after the newest is the value leaving it (0 while filling). */
  private readonly ring: Float64Array;
  private pos = 0;
  private sum = 0;
  private sumSq = 0;
  /** Values still to feed before the first output. */
  private warm: number;

  constructor(
    readonly period = 20,
    readonly nbDevUp = 2,
    readonly nbDevDn = 2,
  ) {
    checkReal('nbDevUp', nbDevUp, -3e37, 3e37);
    checkReal('nbDevDn', nbDevDn, -3e37, 3e37);
    checkPeriod('period', period, 2);
    this.lookback = period - 1;
    this.warm = period - 1;
    this.ring = new Float64Array(period);
  }

  /** Feeds one value; returns true once the bands exist. */
  next(x: number): boolean {
    // `StdDev(period, 1).next`'s arithmetic inline (TA-Lib's running sums), then the bands around its mean.
    const total = this.sum + x;
    const totalSq = this.sumSq + x * x;
    const ring = this.ring;
    let pos = this.pos;
    ring[pos] = x;
    pos = pos + 1 === this.period ? 0 : pos + 1;
    this.pos = pos;
    const oldest = ring[pos]!;
    this.sum = total - oldest;
    this.sumSq = totalSq - oldest * oldest;
    if (this.warm > 0) {
      this.warm--;
      return false;
    }
    const mean = total / this.period;
    const variance = totalSq / this.period - mean * mean;
    if (variance !== variance) return false;
    const sd = variance < TA_EPSILON ? 0.0 : Math.sqrt(variance);
    this.middle = mean;
    this.upper = mean + sd * this.nbDevUp;
    this.lower = mean - sd * this.nbDevDn;
    return true;
  }

  /** Feeds one value; returns the bands (this object, updated in place) or null during warm-up. */
  update(x: number): BandsValue | null {
    return this.next(x) ? this : null;
  }
}

/**
 * Keltner channels (not in TA-Lib; Raschke's modern form on the typical price): middle = TA-Lib EMA(period) of
 * (h+l+c)/3, upper/lower = middle ± multiplier × TA-Lib ATR(atrPeriod); lookback max(period − 1, atrPeriod).
 */
export class Keltner implements BandsValue {
  readonly lookback: number;
  upper = NaN;
  middle = NaN;
  lower = NaN;
  private readonly ema: Ema;
  private readonly atr: Atr;

  constructor(
    period = 20,
    atrPeriod = 10,
    readonly multiplier = 2,
  ) {
    checkReal('multiplier', multiplier, 0, 1000);
    this.ema = new Ema(period);
    this.atr = new Atr(atrPeriod);
    this.lookback = Math.max(period - 1, atrPeriod);
  }

  /** Feeds one bar; returns true once the channel exists. */
  next(bar: HlcBar): boolean {
    const middle = this.ema.next((bar.high + bar.low + bar.close) / 3);
    const atr = this.atr.next(bar);
    if (middle !== middle || atr !== atr) return false;
    const width = this.multiplier * atr;
    this.middle = middle;
    this.upper = middle + width;
    this.lower = middle - width;
    return true;
  }

  /** Feeds one bar; returns the channel (this object, updated in place) or null during warm-up. */
  update(bar: HlcBar): BandsValue | null {
    return this.next(bar) ? this : null;
  }
}

/** Donchian channels: upper = highest high, lower = lowest low of the last `period` bars (current included), middle = their mean; lookback period − 1. */
export class Donchian implements BandsValue {
  readonly lookback: number;
  upper = NaN;
  middle = NaN;
  lower = NaN;
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private count = 0;

  constructor(readonly period = 20) {
    checkPeriod('period', period, 1);
    this.lookback = period - 1;
    this.highest = new RollingExtreme(period, true);
    this.lowest = new RollingExtreme(period, false);
  }

  /** Feeds one bar; returns true once the channel exists. */
  next(bar: Pick<HlcBar, 'high' | 'low'>): boolean {
    const upper = this.highest.push(bar.high);
    const lower = this.lowest.push(bar.low);
    if (this.count < this.lookback) {
      this.count++;
      return false;
    }
    this.upper = upper;
    this.lower = lower;
    this.middle = (upper + lower) / 2;
    return true;
  }

  /** Feeds one bar; returns the channel (this object, updated in place) or null during warm-up. */
  update(bar: Pick<HlcBar, 'high' | 'low'>): BandsValue | null {
    return this.next(bar) ? this : null;
  }
}

/** Batch ATR over HLC columns (NaN during warm-up). */
export const atr = (high: Column, low: Column, close: Column, period = 14): Float64Array =>
  runBars(new Atr(period), new ColumnBar(high, low, close), close.length);
/** Batch population standard deviation over a column (NaN during warm-up); bit-identical to `StdDev`. */
export function stdDev(values: Column, period = 20, nbDev = 1): Float64Array {
  checkPeriod('period', period, 2);
  checkReal('nbDev', nbDev, -3e37, 3e37);
  const x = float64(values);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  // `StdDev.next`'s arithmetic: TA-Lib's running sums (add the new value, take the means, subtract the oldest).
  const lookback = period - 1;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0, warm = Math.min(lookback, n); i < warm; i++) {
    const v = x[i]!;
    sum += v;
    sumSq += v * v;
  }
  for (let i = lookback; i < n; i++) {
    const v = x[i]!;
    const total = sum + v;
    const totalSq = sumSq + v * v;
    const oldest = x[i - lookback]!;
    sum = total - oldest;
    sumSq = totalSq - oldest * oldest;
    const mean = total / period;
    const variance = totalSq / period - mean * mean;
    out[i] = variance < TA_EPSILON ? 0.0 : Math.sqrt(variance) * nbDev;
  }
  return out;
}

type Bands = { upper: Float64Array; middle: Float64Array; lower: Float64Array };

/** Runs a band indicator over `n` bars, collecting the three lines (NaN during warm-up). */
function runBands(n: number, step: (i: number) => BandsValue | null): Bands {
  const out = {
    upper: new Float64Array(n).fill(NaN),
    middle: new Float64Array(n).fill(NaN),
    lower: new Float64Array(n).fill(NaN),
  };
  for (let i = 0; i < n; i++) {
    const v = step(i);
    if (v === null) continue;
    out.upper[i] = v.upper;
    out.middle[i] = v.middle;
    out.lower[i] = v.lower;
  }
  return out;
}

/** Batch Bollinger Bands over a column. */
export function bbands(values: Column, period = 20, nbDevUp = 2, nbDevDn = 2): Bands {
  checkReal('nbDevUp', nbDevUp, -3e37, 3e37);
  checkReal('nbDevDn', nbDevDn, -3e37, 3e37);
  checkPeriod('period', period, 2);
  const x = float64(values);
  const n = x.length;
  const upper = new Float64Array(n).fill(NaN);
  const middle = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  // `Bbands.next`'s arithmetic: middle = SMA, sd = STDDEV(period, 1) (0 on a flat window), middle ± sd × nbDev.
  const lookback = period - 1;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0, warm = Math.min(lookback, n); i < warm; i++) {
    const v = x[i]!;
    sum += v;
    sumSq += v * v;
  }
  for (let i = lookback; i < n; i++) {
    const v = x[i]!;
    const total = sum + v;
    const totalSq = sumSq + v * v;
    const oldest = x[i - lookback]!;
    sum = total - oldest;
    sumSq = totalSq - oldest * oldest;
    const mean = total / period;
    const variance = totalSq / period - mean * mean;
    const sd = variance < TA_EPSILON ? 0.0 : Math.sqrt(variance);
    middle[i] = mean;
    upper[i] = mean + sd * nbDevUp;
    lower[i] = mean - sd * nbDevDn;
  }
  return { upper, middle, lower };
}

/** Batch Keltner channels over HLC columns. */
export function keltner(
  high: Column,
  low: Column,
  close: Column,
  period = 20,
  atrPeriod = 10,
  multiplier = 2,
): Bands {
  const k = new Keltner(period, atrPeriod, multiplier);
  const bars = new ColumnBar(high, low, close);
  return runBands(close.length, (i) => k.update(bars.at(i)));
}

/** Batch Donchian channels over high/low columns. */
export function donchian(high: Column, low: Column, period = 20): Bands {
  const d = new Donchian(period);
  const bars = new ColumnBar(high, low, low);
  return runBands(low.length, (i) => d.update(bars.at(i)));
}
