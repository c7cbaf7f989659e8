import {
  type Bar,
  bucketEnd,
  bucketStart,
  exchangeDay,
  isExtendedBucket,
  isIntraday,
  roundVwap,
  sessionOnDay,
  type Timeframe,
} from '../../core/market-data/index.js';

const MINUTE = 60_000;

/**
 * Rolls closed 1Min bars of one symbol into bars of `tf` with New York-aligned buckets, exactly as `rollupBars`
 * does (Day and longer skip extended-hours minutes). A bucket closes when its last minute arrives, when a later
 * minute arrives, or when `closeDue(now)` passes its end (a quiet last minute) — Day buckets at the session close.
 */
export class BarRoller {
  private current: (Bar & { pv: number }) | null = null;
  private closesAt = Number.POSITIVE_INFINITY;
  private lastMinute = Number.NEGATIVE_INFINITY;
  private readonly passthrough: boolean;
  private readonly intraday: boolean;

  constructor(readonly tf: Timeframe) {
    this.passthrough = tf.unit === 'Min' && tf.amount === 1;
    this.intraday = isIntraday(tf);
  }

  /** The start of the newest minute taken in (later minutes only are accepted). */
  get lastMinuteAt(): number {
    return this.lastMinute;
  }

  /** The bucket being formed, if any (its start). */
  get formingAt(): number | null {
    return this.current?.t ?? null;
  }

  /** Adds a closed 1Min bar; returns the bars of `tf` it closed (0, 1 or 2), oldest first. */
  push(bar: Bar): Bar[] {
    if (bar.t <= this.lastMinute) return [];
    this.lastMinute = bar.t;
    if (this.passthrough) return [bar];
    if (bar.extended && !this.intraday) return this.closeDue(bar.t + MINUTE);
    const out: Bar[] = [];
    const start = bucketStart(bar.t, this.tf);
    if (this.current && start !== this.current.t) out.push(this.close());
    const acc = this.current;
    if (!acc) {
      this.current = { ...bar, t: start, extended: isExtendedBucket(start, this.tf), pv: bar.vw * bar.v };
      this.closesAt = this.closeTime(start);
    } else {
      acc.h = Math.max(acc.h, bar.h);
      acc.l = Math.min(acc.l, bar.l);
      acc.c = bar.c;
      acc.v += bar.v;
      acc.n += bar.n;
      acc.pv += bar.vw * bar.v;
    }
    if (bar.t + MINUTE >= this.closesAt) out.push(this.close());
    return out;
  }

  /** Closes the forming bucket when `now` has reached its end; returns it (or nothing). */
  closeDue(now: number): Bar[] {
    return this.current && now >= this.closesAt ? [this.close()] : [];
  }

  private closeTime(start: number): number {
    if (this.tf.unit === 'Day') return sessionOnDay(exchangeDay(start))?.close ?? bucketEnd(start, this.tf);
    return bucketEnd(start, this.tf);
  }

  private close(): Bar {
    const { pv, ...bar } = this.current!;
    this.current = null;
    this.closesAt = Number.POSITIVE_INFINITY;
    return { ...bar, vw: bar.v > 0 ? roundVwap(pv / bar.v) : bar.c };
  }
}
