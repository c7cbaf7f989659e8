import { ColumnBar } from './columns.js';
import { trueRange } from './volatility.js';
import { checkPeriod, checkReal, type Column, type HlcBar, orNull } from './types.js';

const TA_EPSILON = 1e-14;
const isZero = (v: number): boolean => -TA_EPSILON < v && v < TA_EPSILON;

/** ADX with its directional indicators. */
export interface AdxValue {
  readonly adx: number;
  readonly plusDI: number;
  readonly minusDI: number;
}

/**
 * TA-Lib ADX, PLUS_DI and MINUS_DI (Wilder). +DM/−DM/TR are summed over bars 1..period−1, then smoothed as
 * s − s/period + x; ±DI = 100·DM/TR (0 when TR is 0) from bar `period` (lookback of PLUS_DI/MINUS_DI);
 * ADX = mean of the first `period` DX values at bar 2·period − 1 (the lookback), then (adx·(period−1) + dx)/period,
 * left unchanged on a bar whose TR or DI sum is 0, exactly as TA-Lib does.
 */
export class Adx implements AdxValue {
  readonly lookback: number;
  adx = NaN;
  plusDI = NaN;
  minusDI = NaN;
  private prevHigh = NaN;
  private prevLow = NaN;
  private prevClose = NaN;
  private plusDM = 0;
  private minusDM = 0;
  private tr = 0;
  private sumDX = 0;
  private count = 0;

  constructor(readonly period = 14) {
    checkPeriod('period', period, 2);
    this.lookback = 2 * period - 1;
  }

  /** Feeds one bar; returns true once ADX exists (the DI lines exist from bar `period`). */
  next(bar: HlcBar): boolean {
    const n = this.period;
    const count = this.count++;
    const { high, low } = bar;
    const diffP = high - this.prevHigh;
    const diffM = this.prevLow - low;
    const tr = trueRange(high, low, this.prevClose);
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = bar.close;
    if (count === 0) return false;
    const minus = diffM > 0 && diffP < diffM;
    const plus = !minus && diffP > 0 && diffP > diffM;
    if (count < n) {
      if (minus) this.minusDM += diffM;
      else if (plus) this.plusDM += diffP;
      this.tr += tr;
      return false;
    }
    this.minusDM -= this.minusDM / n;
    this.plusDM -= this.plusDM / n;
    if (minus) this.minusDM += diffM;
    else if (plus) this.plusDM += diffP;
    this.tr = this.tr - this.tr / n + tr;
    let dx = NaN;
    if (!isZero(this.tr)) {
      const minusDI = 100.0 * (this.minusDM / this.tr);
      const plusDI = 100.0 * (this.plusDM / this.tr);
      this.minusDI = minusDI;
      this.plusDI = plusDI;
      const sum = minusDI + plusDI;
      if (!isZero(sum)) dx = 100.0 * (Math.abs(minusDI - plusDI) / sum);
    } else {
      this.minusDI = 0.0;
      this.plusDI = 0.0;
    }
    if (count <= 2 * n - 1) {
      if (dx === dx) this.sumDX += dx;
      if (count < 2 * n - 1) return false;
      this.adx = this.sumDX / n;
      return true;
    }
    if (dx === dx) this.adx = (this.adx * (n - 1) + dx) / n;
    return true;
  }

  /** Feeds one bar; returns the lines (this object, updated in place) or null until ADX exists. */
  update(bar: HlcBar): AdxValue | null {
    return this.next(bar) ? this : null;
  }
}

/**
 * TA-Lib SAR (Parabolic SAR, acceleration 0.02 step/start, maximum 0.2): the first direction comes from bar 1's
 * directional movement (short when −DM > 0, else long), the first SAR is bar 0's low (long) or high (short);
 * SAR never enters the last two bars' range; on a reversal SAR = the extreme point; lookback 1.
 */
export class Sar {
  readonly lookback = 1;
  value = NaN;
  private readonly acceleration: number;
  private readonly maximum: number;
  private af = 0;
  private ep = 0;
  private sar = 0;
  private isLong = true;
  private prevHigh = NaN;
  private prevLow = NaN;
  private count = 0;

  constructor(acceleration = 0.02, maximum = 0.2) {
    checkReal('acceleration', acceleration, 0, 3e37);
    checkReal('maximum', maximum, 0, 3e37);
    this.acceleration = Math.min(acceleration, maximum);
    this.maximum = maximum;
  }

  /** Feeds one bar; returns the SAR for this bar, or NaN on the first bar. */
  next(bar: Pick<HlcBar, 'high' | 'low'>): number {
    const { high, low } = bar;
    let prevHigh = this.prevHigh;
    let prevLow = this.prevLow;
    if (this.count++ === 0) {
      this.prevHigh = high;
      this.prevLow = low;
      return NaN;
    }
    if (this.count === 2) {
      const diffM = prevLow - low;
      const diffP = high - prevHigh;
      this.isLong = !(diffM > 0 && diffP < diffM);
      this.af = this.acceleration;
      this.ep = this.isLong ? high : low;
      this.sar = this.isLong ? prevLow : prevHigh;
      prevHigh = high;
      prevLow = low;
    }
    this.prevHigh = high;
    this.prevLow = low;
    let sar = this.sar;
    if (this.isLong) {
      if (low <= sar) {
        this.isLong = false;
        sar = Math.max(this.ep, prevHigh, high);
        this.value = sar;
        this.af = this.acceleration;
        this.ep = low;
        sar = sar + this.af * (this.ep - sar);
        this.sar = Math.max(sar, prevHigh, high);
      } else {
        this.value = sar;
        if (high > this.ep) {
          this.ep = high;
          this.af = Math.min(this.af + this.acceleration, this.maximum);
        }
        sar = sar + this.af * (this.ep - sar);
        this.sar = Math.min(sar, prevLow, low);
      }
    } else if (high >= sar) {
      this.isLong = true;
      sar = Math.min(this.ep, prevLow, low);
      this.value = sar;
      this.af = this.acceleration;
      this.ep = high;
      sar = sar + this.af * (this.ep - sar);
      this.sar = Math.min(sar, prevLow, low);
    } else {
      this.value = sar;
      if (low < this.ep) {
        this.ep = low;
        this.af = Math.min(this.af + this.acceleration, this.maximum);
      }
      sar = sar + this.af * (this.ep - sar);
      this.sar = Math.max(sar, prevHigh, high);
    }
    return this.value;
  }

  /** Feeds one bar; returns the SAR or null on the first bar. */
  update(bar: Pick<HlcBar, 'high' | 'low'>): number | null {
    return orNull(this.next(bar));
  }
}

/** Batch ADX, +DI and −DI over HLC columns (each NaN until its own lookback). */
export function adx(
  high: Column,
  low: Column,
  close: Column,
  period = 14,
): { adx: Float64Array; plusDI: Float64Array; minusDI: Float64Array } {
  const a = new Adx(period);
  const bars = new ColumnBar(high, low, close);
  const n = close.length;
  const out = { adx: new Float64Array(n), plusDI: new Float64Array(n), minusDI: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    a.next(bars.at(i));
    out.adx[i] = a.adx;
    out.plusDI[i] = a.plusDI;
    out.minusDI[i] = a.minusDI;
  }
  return out;
}

/** Batch Parabolic SAR over high/low columns (NaN on bar 0). */
export function sar(high: Column, low: Column, acceleration = 0.02, maximum = 0.2): Float64Array {
  const s = new Sar(acceleration, maximum);
  const bars = new ColumnBar(high, low, low);
  const out = new Float64Array(low.length);
  for (let i = 0; i < low.length; i++) out[i] = s.next(bars.at(i));
  return out;
}
