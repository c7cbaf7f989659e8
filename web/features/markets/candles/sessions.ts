import {
  dayNumber,
  exchangeDate,
  isIntraday,
  nyWallToUtc,
  type Timeframe,
} from '../../../../core/market-data/index.js';
import type { CalendarDay } from '../../../api/calendar-day.js';

/** The regular session of each trading day, keyed by New York date: [open, close) in epoch seconds. */
export type RegularSessions = ReadonlyMap<string, { open: number; close: number }>;

const minutesOf = (hhmm: string): number => {
  const m = /^(\d{2}):?(\d{2})$/.exec(hhmm);
  return m === null ? Number.NaN : Number(m[1]) * 60 + Number(m[2]);
};

/** Reads /api/v1/calendar days (New York wall-clock times) into UTC sessions. */
export function sessionsFromCalendar(days: readonly CalendarDay[]): RegularSessions {
  const sessions = new Map<string, { open: number; close: number }>();
  for (const day of days) {
    const n = dayNumber(day.date);
    const open = minutesOf(day.open);
    const close = minutesOf(day.close);
    if (!Number.isFinite(n) || !Number.isFinite(open) || !Number.isFinite(close)) continue;
    sessions.set(day.date, { open: nyWallToUtc(n, open) / 1000, close: nyWallToUtc(n, close) / 1000 });
  }
  return sessions;
}

/**
 * True when an intraday bar of `tf` starting at `time` is not wholly inside its day's regular
 * session (pre-market, after-hours, or a day the market is closed). Day bars are never extended.
 */
export function isExtendedBar(time: number, tf: Timeframe, sessions: RegularSessions): boolean {
  if (!isIntraday(tf)) return false;
  const session = sessions.get(exchangeDate(time * 1000));
  if (session === undefined) return true;
  const size = tf.unit === 'Hour' ? tf.amount * 3600 : tf.amount * 60;
  return time < session.open || time + size > session.close;
}

/** The New York dates [first, last] to ask the calendar for, covering candles from `from` to `to` (epoch seconds). */
export function calendarRange(from: number, to: number): { start: string; end: string } {
  return { start: exchangeDate(from * 1000), end: exchangeDate(to * 1000) };
}
