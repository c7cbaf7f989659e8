import { ColumnBar, runBars } from './columns.js';
import { checkPeriod, type Column, type HlcvBar, orNull } from './types.js';

/** TA-Lib OBV: starts at the first bar's volume, then ± volume when the close rises/falls; lookback 0. */
export class Obv {
  readonly lookback = 0;
  value = NaN;
  private prevClose = NaN;

  /** Feeds one bar; returns the OBV. */
  next(bar: Pick<HlcvBar, 'close' | 'volume'>): number {
    const { close, volume } = bar;
    if (this.value !== this.value) this.value = volume;
    else if (close > this.prevClose) this.value += volume;
    else if (close < this.prevClose) this.value -= volume;
    this.prevClose = close;
    return this.value;
  }

  /** Feeds one bar; returns the OBV. */
  update(bar: Pick<HlcvBar, 'close' | 'volume'>): number | null {
    return orNull(this.next(bar));
  }
}

/**
 * TA-Lib MFI: money flow = typical price (h+l+c)/3 × volume, positive/negative by the typical price's change
 * (neither when unchanged), summed over `period` bars; 100·pos/(pos+neg), and 0 when pos+neg < 1 as TA-Lib does;
 * lookback = period.
 */
export class Mfi {
  readonly lookback: number;
  value = NaN;
  private readonly positive: Float64Array;
  private readonly negative: Float64Array;
  private pos = 0;
  private posSum = 0;
  private negSum = 0;
  private prevTypical = NaN;
  private count = 0;

  constructor(readonly period = 14) {
    checkPeriod('period', period, 2);
    this.lookback = period;
    this.positive = new Float64Array(period);
    this.negative = new Float64Array(period);
  }

  /** Feeds one bar; returns the MFI, or NaN while warming up. */
  next(bar: HlcvBar): number {
    const typical = (bar.high + bar.low + bar.close) / 3.0;
    const change = typical - this.prevTypical;
    this.prevTypical = typical;
    if (this.count === 0) {
      this.count = 1;
      return NaN;
    }
    const i = this.pos;
    if (this.count > this.period) {
      this.posSum -= this.positive[i]!;
      this.negSum -= this.negative[i]!;
    }
    const flow = typical * bar.volume;
    this.positive[i] = 0.0;
    this.negative[i] = 0.0;
    if (change < 0) {
      this.negative[i] = flow;
      this.negSum += flow;
    } else if (change > 0) {
      this.positive[i] = flow;
      this.posSum += flow;
    }
    this.pos = i + 1 === this.period ? 0 : i + 1;
    if (this.count++ < this.period) return NaN;
    const total = this.posSum + this.negSum;
    this.value = total < 1.0 ? 0.0 : 100.0 * (this.posSum / total);
    return this.value;
  }

  /** Feeds one bar; returns the MFI or null during warm-up. */
  update(bar: HlcvBar): number | null {
    return orNull(this.next(bar));
  }
}

/**
 * VWAP of the typical price (h+l+c)/3 (not in TA-Lib): Σ(tp·volume)/Σvolume, cumulative from the first bar, or
 * re-anchored whenever the session key passed to `next` changes (pass none for a cumulative VWAP); NaN (null)
 * while the accumulated volume is 0; lookback 0.
 */
export class Vwap {
  readonly lookback = 0;
  value = NaN;
  private sumPV = 0;
  private sumV = 0;
  private session: unknown = undefined;

  /** Feeds one bar (and its session key); returns the VWAP. */
  next(bar: HlcvBar, session?: unknown): number {
    if (session !== this.session) {
      this.session = session;
      this.sumPV = 0;
      this.sumV = 0;
    }
    this.sumPV += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
    this.sumV += bar.volume;
    this.value = this.sumPV / this.sumV;
    return this.value;
  }

  /** Feeds one bar (and its session key); returns the VWAP, or null while no volume has traded. */
  update(bar: HlcvBar, session?: unknown): number | null {
    return orNull(this.next(bar, session));
  }
}

/** Batch OBV over close/volume columns. */
export function obv(close: Column, volume: Column): Float64Array {
  return runBars(new Obv(), new ColumnBar(close, close, close, volume), close.length);
}

/** Batch MFI over HLCV columns (NaN during warm-up). */
export const mfi = (high: Column, low: Column, close: Column, volume: Column, period = 14): Float64Array =>
  runBars(new Mfi(period), new ColumnBar(high, low, close, volume), close.length);

/** Batch VWAP over HLCV columns; `sessions[i]` (optional) is bar i's session key, and a change re-anchors it. */
export function vwap(
  high: Column,
  low: Column,
  close: Column,
  volume: Column,
  sessions?: ArrayLike<unknown>,
): Float64Array {
  const v = new Vwap();
  const bars = new ColumnBar(high, low, close, volume);
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) out[i] = v.next(bars.at(i), sessions?.[i]);
  return out;
}
