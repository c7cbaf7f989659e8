import { DAY_MS, MINUTE_MS } from '../kernel/index.js';
import { dayOf, exchangeDay, nyOffset, nyWallToUtc, weekdayOf } from './ny-time.js';

/** Unit of a bar timeframe, as Alpaca spells it. */
export type TimeframeUnit = 'Min' | 'Hour' | 'Day' | 'Week' | 'Month';

/** A bar timeframe, e.g. `{ amount: 5, unit: 'Min' }` for 5Min. */
export type Timeframe = { amount: number; unit: TimeframeUnit };

const UNITS: Readonly<Record<string, TimeframeUnit>> = {
  Min: 'Min',
  T: 'Min',
  Hour: 'Hour',
  H: 'Hour',
  Day: 'Day',
  D: 'Day',
  Week: 'Week',
  W: 'Week',
  Month: 'Month',
  M: 'Month',
};
const MONTHS = new Set([1, 2, 3, 4, 6, 12]);

/** Parses Alpaca's timeframe grammar (`5Min`, `1T`, `1Hour`, `1D`, `1Week`, `3Month` …); null when invalid. */
export function parseTimeframe(text: string): Timeframe | null {
  const m = /^([1-9]\d?)(Min|T|Hour|H|Day|D|Week|W|Month|M)$/.exec(text);
  if (!m) return null;
  const amount = Number(m[1]);
  const unit = UNITS[m[2] ?? ''];
  if (!unit) return null;
  const ok =
    unit === 'Min'
      ? amount <= 59
      : unit === 'Hour'
        ? amount <= 23
        : unit === 'Month'
          ? MONTHS.has(amount)
          : amount === 1;
  return ok ? { amount, unit } : null;
}

/** Alpaca's canonical spelling of a timeframe, e.g. `15Min`, `1Day`. */
export function formatTimeframe(tf: Timeframe): string {
  return `${tf.amount}${tf.unit}`;
}

/** True for minute and hour timeframes, whose bars include extended hours. */
export function isIntraday(tf: Timeframe): boolean {
  return tf.unit === 'Min' || tf.unit === 'Hour';
}

/** Length of an intraday bucket in ms (NaN for Day and longer). */
export function intradayMs(tf: Timeframe): number {
  if (tf.unit === 'Min') return tf.amount * MINUTE_MS;
  return tf.unit === 'Hour' ? tf.amount * 60 * MINUTE_MS : Number.NaN;
}

/** Start (UTC ms) of the bucket holding `t`: New York wall-clock aligned intraday, New York midnight for Day and longer. */
export function bucketStart(t: number, tf: Timeframe): number {
  if (isIntraday(tf)) {
    const local = t + nyOffset(t);
    const size = intradayMs(tf);
    const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
    return t - (local - dayStart - Math.floor((local - dayStart) / size) * size);
  }
  const day = exchangeDay(t);
  if (tf.unit === 'Day') return nyWallToUtc(day, 0);
  if (tf.unit === 'Week') return nyWallToUtc(day - ((weekdayOf(day) + 6) % 7), 0);
  const d = new Date(day * DAY_MS);
  const month = d.getUTCMonth() - (d.getUTCMonth() % tf.amount);
  return nyWallToUtc(dayOf(d.getUTCFullYear(), month + 1, 1), 0);
}

/** End (exclusive, UTC ms) of the bucket that starts at `start`. */
export function bucketEnd(start: number, tf: Timeframe): number {
  if (isIntraday(tf)) return start + intradayMs(tf);
  const day = exchangeDay(start);
  if (tf.unit === 'Day') return nyWallToUtc(day + 1, 0);
  if (tf.unit === 'Week') return nyWallToUtc(day + 7, 0);
  const d = new Date(day * DAY_MS);
  return nyWallToUtc(dayOf(d.getUTCFullYear(), d.getUTCMonth() + 1 + tf.amount, 1), 0);
}
