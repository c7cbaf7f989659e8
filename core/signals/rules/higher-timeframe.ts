import { sessionOnDay } from '../../market-data/calendar.js';
import { exchangeDay } from '../../market-data/ny-time.js';
import {
  bucketEnd,
  bucketStart,
  formatTimeframe,
  intradayMs,
  isIntraday,
  type Timeframe,
} from '../../market-data/timeframe.js';

const UNIT_RANK = { Min: 0, Hour: 0, Day: 1, Week: 2, Month: 3 } as const;
// Rough bar counts for warm-up estimates: a regular session, a trading week, a trading month.
const SESSION_MINUTES = 390;
const DAYS_PER = { Day: 1, Week: 5, Month: 21 } as const;

/** Why `ref` cannot be read from bars of `base` (not higher, or buckets that straddle), or null when it can. */
export function higherTimeframeProblem(base: Timeframe, ref: Timeframe): string | null {
  const b = formatTimeframe(base);
  const r = formatTimeframe(ref);
  const notHigher = `timeframe "${r}" must be higher than the rule's timeframe ${b}; leave it out to use the rule's own bars`;
  if (isIntraday(base) && isIntraday(ref)) {
    const bm = intradayMs(base);
    const rm = intradayMs(ref);
    if (rm <= bm) return notHigher;
    return rm % bm === 0 ? null : `timeframe "${r}" is not a whole number of ${b} bars`;
  }
  if (isIntraday(ref)) return notHigher;
  if (isIntraday(base)) return null;
  const rb = UNIT_RANK[base.unit as 'Day' | 'Week' | 'Month'];
  const rr = UNIT_RANK[ref.unit as 'Day' | 'Week' | 'Month'];
  if (rr < rb || (rr === rb && ref.amount <= base.amount)) return notHigher;
  if (base.unit === 'Week' && ref.unit === 'Month')
    return `weeks straddle months: "${r}" can't be built from ${b} bars`;
  if (base.unit === 'Month' && ref.amount % base.amount !== 0)
    return `timeframe "${r}" is not a whole number of ${b} bars`;
  return null;
}

/** Estimated bars of `base` in one bucket of the higher `ref` (regular sessions for Day and longer). */
export function barsPerBucket(base: Timeframe, ref: Timeframe): number {
  const days = (tf: Timeframe): number =>
    tf.unit === 'Month' ? DAYS_PER.Month * tf.amount : DAYS_PER[tf.unit as 'Day' | 'Week'];
  if (isIntraday(ref)) return intradayMs(ref) / intradayMs(base);
  if (isIntraday(base)) return Math.ceil((SESSION_MINUTES * 60_000) / intradayMs(base)) * days(ref);
  return Math.max(1, Math.round(days(ref) / days(base)));
}

/** The time a bucket of `tf` starting at `start` is complete: its end intraday, the last regular close in it for Day and longer. */
function completesAt(start: number, tf: Timeframe): number {
  const end = bucketEnd(start, tf);
  if (isIntraday(tf)) return end;
  const first = exchangeDay(start);
  for (let day = exchangeDay(end - 1); day >= first; day--) {
    const session = sessionOnDay(day);
    if (session) return session.close;
  }
  return end;
}

/** A mutable OHLCV bar view, reused so the hot path allocates nothing. */
export type BarView = {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  time: number;
  session: number | undefined;
};

/** A fresh zeroed bar view. */
export function barView(): BarView {
  return { open: 0, high: 0, low: 0, close: 0, volume: 0, time: 0, session: undefined };
}

/**
 * Rolls bars of the rule's timeframe into buckets of a higher one, as `rollupBars` does (Day and longer skip
 * extended-hours bars), and reports a bucket only once it is closed: when a bar reaches its end (the last
 * regular close for Day and longer) or when a bar of a later bucket arrives. Never a partial bucket.
 */
export class HigherBars {
  /** Closed buckets produced by the last `push` (0, 1 or 2), oldest first. */
  readonly closed: [BarView, BarView] = [barView(), barView()];
  private readonly pending = barView();
  private open = false;
  private doneAt = 0;
  private readonly intraday: boolean;
  private readonly baseMs: number;

  constructor(
    private readonly base: Timeframe,
    readonly timeframe: Timeframe,
  ) {
    this.intraday = isIntraday(timeframe);
    this.baseMs = isIntraday(base) ? intradayMs(base) : Number.NaN;
  }

  /** Adds one bar (start time `t`) and returns how many buckets closed; read them from `closed`. */
  push(t: number, o: number, h: number, l: number, c: number, v: number, extended: boolean): number {
    let n = 0;
    const p = this.pending;
    if (this.open && bucketStart(t, this.timeframe) !== p.time) n = this.emit(n);
    if (extended && !this.intraday) return n;
    if (!this.open) {
      p.time = bucketStart(t, this.timeframe);
      p.open = o;
      p.high = h;
      p.low = l;
      p.close = c;
      p.volume = v;
      p.session = this.intraday ? exchangeDay(p.time) : undefined;
      this.doneAt = completesAt(p.time, this.timeframe);
      this.open = true;
    } else {
      if (h > p.high) p.high = h;
      if (l < p.low) p.low = l;
      p.close = c;
      p.volume += v;
    }
    const barEnd = Number.isNaN(this.baseMs) ? bucketEnd(t, this.base) : t + this.baseMs;
    if (barEnd >= this.doneAt) n = this.emit(n);
    return n;
  }

  private emit(n: number): number {
    Object.assign(this.closed[n as 0 | 1], this.pending);
    this.open = false;
    return n + 1;
  }
}
