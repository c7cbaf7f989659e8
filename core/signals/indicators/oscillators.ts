import { Rsi } from './momentum.js';
import { Sma } from './moving-averages.js';
import { ColumnBar, runBars } from './columns.js';
import { RollingExtreme } from './rolling.js';
import { checkPeriod, type Column, type HlcBar, orNull } from './types.js';

/** TA-Lib's raw %K: (close − lowest)/((highest − lowest)/100), or 0 when the range is 0. */
function percentK(close: number, highest: number, lowest: number): number {
  const diff = (highest - lowest) / 100.0;
  return diff !== 0.0 ? (close - lowest) / diff : 0.0;
}

/** The two slow stochastic lines. */
export interface StochValue {
  readonly slowK: number;
  readonly slowD: number;
}

/**
 * TA-Lib STOCH (slow): raw %K over fastK bars (0 on a flat range), slowK = SMA(slowKPeriod) of %K,
 * slowD = SMA(slowDPeriod) of slowK; both lines start together at lookback (fastK−1)+(slowK−1)+(slowD−1).
 */
export class Stoch implements StochValue {
  readonly lookback: number;
  slowK = NaN;
  slowD = NaN;
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private readonly kSma: Sma;
  private readonly dSma: Sma;
  private count = 0;

  constructor(
    readonly fastK = 14,
    slowK = 3,
    slowD = 3,
  ) {
    checkPeriod('fastK', fastK, 1);
    this.highest = new RollingExtreme(fastK, true);
    this.lowest = new RollingExtreme(fastK, false);
    this.kSma = new Sma(checkPeriod('slowK', slowK, 1));
    this.dSma = new Sma(checkPeriod('slowD', slowD, 1));
    this.lookback = fastK - 1 + (slowK - 1) + (slowD - 1);
  }

  /** Feeds one bar; returns true once both lines exist. */
  next(bar: HlcBar): boolean {
    const hh = this.highest.push(bar.high);
    const ll = this.lowest.push(bar.low);
    if (this.count < this.fastK - 1) {
      this.count++;
      return false;
    }
    const k = this.kSma.next(percentK(bar.close, hh, ll));
    if (k !== k) return false;
    const d = this.dSma.next(k);
    if (d !== d) return false;
    this.slowK = k;
    this.slowD = d;
    return true;
  }

  /** Feeds one bar; returns the lines (this object, updated in place) or null during warm-up. */
  update(bar: HlcBar): StochValue | null {
    return this.next(bar) ? this : null;
  }
}

/** The two fast stochastic lines of STOCHRSI. */
export interface StochRsiValue {
  readonly fastK: number;
  readonly fastD: number;
}

/**
 * TA-Lib STOCHRSI: RSI(period), then the fast stochastic of the RSI (high = low = close = RSI): fastK = raw %K
 * over fastKPeriod RSI values (0 on a flat range), fastD = SMA(fastDPeriod); lookback period + (fastK−1) + (fastD−1).
 */
export class StochRsi implements StochRsiValue {
  readonly lookback: number;
  fastK = NaN;
  fastD = NaN;
  private readonly rsi: Rsi;
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private readonly dSma: Sma;
  private readonly kLookback: number;
  private count = 0;

  constructor(period = 14, fastK = 14, fastD = 3) {
    this.rsi = new Rsi(period);
    checkPeriod('fastK', fastK, 1);
    this.highest = new RollingExtreme(fastK, true);
    this.lowest = new RollingExtreme(fastK, false);
    this.dSma = new Sma(checkPeriod('fastD', fastD, 1));
    this.kLookback = fastK - 1;
    this.lookback = period + (fastK - 1) + (fastD - 1);
  }

  /** Feeds one value; returns true once both lines exist. */
  next(x: number): boolean {
    const r = this.rsi.next(x);
    if (r !== r) return false;
    const hh = this.highest.push(r);
    const ll = this.lowest.push(r);
    if (this.count < this.kLookback) {
      this.count++;
      return false;
    }
    const k = percentK(r, hh, ll);
    const d = this.dSma.next(k);
    if (d !== d) return false;
    this.fastK = k;
    this.fastD = d;
    return true;
  }

  /** Feeds one value; returns the lines (this object, updated in place) or null during warm-up. */
  update(x: number): StochRsiValue | null {
    return this.next(x) ? this : null;
  }
}

/**
 * TA-Lib CCI: typical price tp = (h+l+c)/3; (tp − mean)/(0.015 · mean absolute deviation) over `period` bars,
 * 0 when either is 0; lookback period − 1. Like TA-Lib it re-sums the window every bar (O(period), never drifts).
 */
export class Cci {
  readonly lookback: number;
  value = NaN;
  private readonly window: Float64Array;
  private pos = 0;
  private count = 0;

  constructor(readonly period = 20) {
    checkPeriod('period', period, 2);
    this.lookback = period - 1;
    this.window = new Float64Array(period);
  }

  /** Feeds one bar; returns the CCI, or NaN while warming up. */
  next(bar: HlcBar): number {
    const { window, period } = this;
    const tp = (bar.high + bar.low + bar.close) / 3;
    // The slot is bar index mod period, and sums run over slots in order, exactly as TA-Lib's circular buffer.
    window[this.pos] = tp;
    this.pos = this.pos + 1 === period ? 0 : this.pos + 1;
    if (this.count < this.lookback) {
      this.count++;
      return NaN;
    }
    let mean = 0;
    for (let j = 0; j < period; j++) mean += window[j]!;
    mean /= period;
    let deviation = 0;
    for (let j = 0; j < period; j++) deviation += Math.abs(window[j]! - mean);
    const distance = tp - mean;
    this.value = distance !== 0.0 && deviation !== 0.0 ? distance / (0.015 * (deviation / period)) : 0.0;
    return this.value;
  }

  /** Feeds one bar; returns the CCI or null during warm-up. */
  update(bar: HlcBar): number | null {
    return orNull(this.next(bar));
  }
}

/** TA-Lib WILLR: (highest − close)/((highest − lowest)/−100) over `period` bars, 0 on a flat range; lookback period − 1. */
export class WillR {
  readonly lookback: number;
  value = NaN;
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private count = 0;

  constructor(readonly period = 14) {
    checkPeriod('period', period, 2);
    this.lookback = period - 1;
    this.highest = new RollingExtreme(period, true);
    this.lowest = new RollingExtreme(period, false);
  }

  /** Feeds one bar; returns %R, or NaN while warming up. */
  next(bar: HlcBar): number {
    const hh = this.highest.push(bar.high);
    const ll = this.lowest.push(bar.low);
    if (this.count < this.lookback) {
      this.count++;
      return NaN;
    }
    const diff = (hh - ll) / -100.0;
    this.value = diff !== 0.0 ? (hh - bar.close) / diff : 0.0;
    return this.value;
  }

  /** Feeds one bar; returns %R or null during warm-up. */
  update(bar: HlcBar): number | null {
    return orNull(this.next(bar));
  }
}

/** Batch slow stochastic over HLC columns (NaN until the lookback). */
export function stoch(
  high: Column,
  low: Column,
  close: Column,
  fastK = 14,
  slowK = 3,
  slowD = 3,
): { slowK: Float64Array; slowD: Float64Array } {
  const s = new Stoch(fastK, slowK, slowD);
  const bars = new ColumnBar(high, low, close);
  const out = {
    slowK: new Float64Array(close.length).fill(NaN),
    slowD: new Float64Array(close.length).fill(NaN),
  };
  for (let i = 0; i < close.length; i++) {
    if (!s.next(bars.at(i))) continue;
    out.slowK[i] = s.slowK;
    out.slowD[i] = s.slowD;
  }
  return out;
}

/** Batch STOCHRSI over a column (NaN until the lookback). */
export function stochRsi(
  values: Column,
  period = 14,
  fastK = 14,
  fastD = 3,
): { fastK: Float64Array; fastD: Float64Array } {
  const s = new StochRsi(period, fastK, fastD);
  const out = {
    fastK: new Float64Array(values.length).fill(NaN),
    fastD: new Float64Array(values.length).fill(NaN),
  };
  for (let i = 0; i < values.length; i++) {
    if (!s.next(values[i]!)) continue;
    out.fastK[i] = s.fastK;
    out.fastD[i] = s.fastD;
  }
  return out;
}

/** Batch CCI over HLC columns (NaN during warm-up). */
export const cci = (high: Column, low: Column, close: Column, period = 20): Float64Array =>
  runBars(new Cci(period), new ColumnBar(high, low, close), close.length);
/** Batch Williams %R over HLC columns (NaN during warm-up). */
export const willR = (high: Column, low: Column, close: Column, period = 14): Float64Array =>
  runBars(new WillR(period), new ColumnBar(high, low, close), close.length);
