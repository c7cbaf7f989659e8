import { float64, runColumn } from './columns.js';
import { Ema } from './moving-averages.js';
import { Ring } from './rolling.js';
import { checkPeriod, type Column, orNull } from './types.js';

const TA_EPSILON = 1e-14;

/** 100·gain/(gain+loss), or 0 when the sum is within TA-Lib's epsilon of zero (a flat window). */
function rsiOf(gain: number, loss: number): number {
  const total = gain + loss;
  return -TA_EPSILON < total && total < TA_EPSILON ? 0 : 100 * (gain / total);
}

/**
 * TA-Lib RSI (Wilder): the first average gain/loss is the mean of the first `period` changes, then
 * avg = (avg·(period−1) + change)/period; 0 when there is no movement at all; lookback = period.
 */
export class Rsi {
  readonly lookback: number;
  value = NaN;
  private prev = NaN;
  private gain = 0;
  private loss = 0;
  private count = 0;

  constructor(readonly period = 14) {
    checkPeriod('period', period, 2);
    this.lookback = period;
  }

  /** Feeds one value; returns the RSI, or NaN while warming up. */
  next(x: number): number {
    if (this.count <= this.period) return this.warmUp(x);
    const change = x - this.prev;
    this.prev = x;
    const n = this.period;
    let loss = this.loss * (n - 1);
    let gain = this.gain * (n - 1);
    if (change < 0) loss -= change;
    else gain += change;
    loss /= n;
    gain /= n;
    this.loss = loss;
    this.gain = gain;
    return (this.value = rsiOf(gain, loss));
  }

  /** The first `period` + 1 values: the sums of the first `period` gains and losses, then their means. */
  private warmUp(x: number): number {
    const count = this.count;
    this.count = count + 1;
    if (count === 0) {
      this.prev = x;
      return NaN;
    }
    const change = x - this.prev;
    this.prev = x;
    if (change < 0) this.loss -= change;
    else this.gain += change;
    if (count < this.period) return NaN;
    this.loss /= this.period;
    this.gain /= this.period;
    return (this.value = rsiOf(this.gain, this.loss));
  }

  /** Feeds one value; returns the RSI or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** The three MACD lines. */
export interface MacdValue {
  readonly macd: number;
  readonly signal: number;
  readonly hist: number;
}

/**
 * TA-Lib MACD: macd = EMA(fast) − EMA(slow), signal = EMA(signal) of macd, hist = macd − signal. TA-Lib's quirk
 * is kept: the fast EMA starts (SMA seed) only at bar slow − fast, so both EMAs first exist at bar slow − 1.
 * Every output is NaN until lookback = (slow − 1) + (signal − 1), as in TA-Lib. Periods are swapped if slow < fast.
 */
export class Macd implements MacdValue {
  readonly lookback: number;
  macd = NaN;
  signal = NaN;
  hist = NaN;
  private readonly fastEma: Ema;
  private readonly slowEma: Ema;
  private readonly signalEma: Ema;
  private readonly fastStart: number;
  private count = 0;

  constructor(fast = 12, slow = 26, signal = 9) {
    checkPeriod('fast', fast, 2);
    checkPeriod('slow', slow, 2);
    checkPeriod('signal', signal, 1);
    if (slow < fast) [fast, slow] = [slow, fast];
    this.fastEma = new Ema(fast);
    this.slowEma = new Ema(slow);
    this.signalEma = new Ema(signal);
    this.fastStart = slow - fast;
    this.lookback = slow - 1 + (signal - 1);
  }

  /** Feeds one value; returns true once all three lines exist. */
  next(x: number): boolean {
    const i = this.count++;
    const slow = this.slowEma.next(x);
    if (i < this.fastStart) return false;
    const fast = this.fastEma.next(x);
    if (slow !== slow) return false;
    const macd = fast - slow;
    const signal = this.signalEma.next(macd);
    if (signal !== signal) return false;
    this.macd = macd;
    this.signal = signal;
    this.hist = macd - signal;
    return true;
  }

  /** Feeds one value; returns the lines (this object, updated in place) or null during warm-up. */
  update(x: number): MacdValue | null {
    return this.next(x) ? this : null;
  }
}

/** TA-Lib ROC: ((x / x[−period]) − 1)·100, 0 when x[−period] is 0; lookback = period. */
export class Roc {
  readonly lookback: number;
  value = NaN;
  private readonly ring: Ring;
  private count = 0;

  constructor(readonly period = 10) {
    checkPeriod('period', period, 1);
    this.lookback = period;
    this.ring = new Ring(period);
  }

  /** Feeds one value; returns the ROC, or NaN while warming up. */
  next(x: number): number {
    const old = this.ring.push(x);
    if (this.count < this.period) {
      this.count++;
      return NaN;
    }
    this.value = old !== 0.0 ? (x / old - 1.0) * 100.0 : 0.0;
    return this.value;
  }

  /** Feeds one value; returns the ROC or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** TA-Lib MOM: x − x[−period]; lookback = period. */
export class Mom {
  readonly lookback: number;
  value = NaN;
  private readonly ring: Ring;
  private count = 0;

  constructor(readonly period = 10) {
    checkPeriod('period', period, 1);
    this.lookback = period;
    this.ring = new Ring(period);
  }

  /** Feeds one value; returns the momentum, or NaN while warming up. */
  next(x: number): number {
    const old = this.ring.push(x);
    if (this.count < this.period) {
      this.count++;
      return NaN;
    }
    this.value = x - old;
    return this.value;
  }

  /** Feeds one value; returns the momentum or null during warm-up. */
  update(x: number): number | null {
    return orNull(this.next(x));
  }
}

/** Batch RSI over a column (NaN during warm-up): `Rsi.next`'s arithmetic in a plain loop (bit-identical). */
export function rsi(values: Column, period = 14): Float64Array {
  checkPeriod('period', period, 2);
  const x = float64(values);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  if (n <= period) return out;
  let gain = 0;
  let loss = 0;
  let prev = x[0]!;
  for (let i = 1; i <= period; i++) {
    const change = x[i]! - prev;
    prev = x[i]!;
    if (change < 0) loss -= change;
    else gain += change;
  }
  loss /= period;
  gain /= period;
  out[period] = rsiOf(gain, loss);
  const keep = period - 1;
  for (let i = period + 1; i < n; i++) {
    const change = x[i]! - prev;
    prev = x[i]!;
    loss *= keep;
    gain *= keep;
    if (change < 0) loss -= change;
    else gain += change;
    loss /= period;
    gain /= period;
    out[i] = rsiOf(gain, loss);
  }
  return out;
}
/** Batch ROC over a column (NaN during warm-up). */
export const roc = (values: Column, period = 10): Float64Array => runColumn(new Roc(period), values);
/** Batch MOM over a column (NaN during warm-up). */
export const mom = (values: Column, period = 10): Float64Array => runColumn(new Mom(period), values);

/**
 * Batch MACD over a column: three arrays, NaN until the lookback. One pass doing `Macd.next`'s arithmetic (the three
 * SMA-seeded EMAs, the fast one starting at bar slow − fast), so every value is bit-identical to streaming.
 */
export function macd(
  values: Column,
  fast = 12,
  slow = 26,
  signal = 9,
): { macd: Float64Array; signal: Float64Array; hist: Float64Array } {
  checkPeriod('fast', fast, 2);
  checkPeriod('slow', slow, 2);
  checkPeriod('signal', signal, 1);
  if (slow < fast) [fast, slow] = [slow, fast];
  const x = float64(values);
  const n = x.length;
  const out = {
    macd: new Float64Array(n).fill(NaN),
    signal: new Float64Array(n).fill(NaN),
    hist: new Float64Array(n).fill(NaN),
  };
  const lookback = slow - 1 + (signal - 1);
  if (n <= lookback) return out;
  const outMacd = out.macd;
  const outSignal = out.signal;
  const outHist = out.hist;
  const kFast = 2.0 / (fast + 1);
  const kSlow = 2.0 / (slow + 1);
  const kSignal = 2.0 / (signal + 1);
  // Seeds: the slow EMA from bar 0, the fast one from bar slow − fast; both first exist at bar slow − 1.
  let seedSlow = 0;
  let seedFast = 0;
  for (let i = 0; i < slow; i++) {
    seedSlow += x[i]!;
    if (i >= slow - fast) seedFast += x[i]!;
  }
  let emaSlow = seedSlow / slow;
  let emaFast = seedFast / fast;
  // The signal EMA's seed: the first `signal` MACD values, bars slow − 1 … lookback.
  let seedSignal = 0;
  seedSignal += emaFast - emaSlow;
  for (let i = slow; i <= lookback; i++) {
    const v = x[i]!;
    emaSlow = (v - emaSlow) * kSlow + emaSlow;
    emaFast = (v - emaFast) * kFast + emaFast;
    seedSignal += emaFast - emaSlow;
  }
  let m = emaFast - emaSlow;
  let sig = seedSignal / signal;
  outMacd[lookback] = m;
  outSignal[lookback] = sig;
  outHist[lookback] = m - sig;
  for (let i = lookback + 1; i < n; i++) {
    const v = x[i]!;
    emaSlow = (v - emaSlow) * kSlow + emaSlow;
    emaFast = (v - emaFast) * kFast + emaFast;
    m = emaFast - emaSlow;
    sig = (m - sig) * kSignal + sig;
    outMacd[i] = m;
    outSignal[i] = sig;
    outHist[i] = m - sig;
  }
  return out;
}
