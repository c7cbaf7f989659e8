import { DAY_MS } from '../kernel/index.js';
import { nyseHolidays } from './holidays.js';
import { dateOfDay, dayNumber, exchangeDay, formatNyIso, nyWallToUtc, weekdayOf } from './ny-time.js';

/** One NYSE trading day; every time is UTC epoch ms. */
export type SessionDay = {
  date: string;
  preOpen: number;
  open: number;
  close: number;
  postClose: number;
  earlyClose: boolean;
};

/** Which part of the trading day an instant falls in. */
export type MarketPhase = 'pre' | 'regular' | 'post' | 'closed';

/** Alpaca's `GET /v2/clock` shape, times as RFC 3339 with the New York offset. */
export type MarketClock = { timestamp: string; is_open: boolean; next_open: string; next_close: string };

const PRE_OPEN = 4 * 60;
const OPEN = 9 * 60 + 30;
const CLOSE = 16 * 60;
const EARLY_CLOSE = 13 * 60;
const AFTER_HOURS = 4 * 60;
const sessions = new Map<number, SessionDay | null>();

/** The session on day number `day` (days since 1970-01-01), or null when the exchange is closed. */
export function sessionOnDay(day: number): SessionDay | null {
  const hit = sessions.get(day);
  if (hit !== undefined) return hit;
  let session: SessionDay | null = null;
  const w = weekdayOf(day);
  const kind = nyseHolidays(new Date(day * DAY_MS).getUTCFullYear()).get(day);
  if (w !== 0 && w !== 6 && kind !== 'closed') {
    const earlyClose = kind === 'early';
    const close = earlyClose ? EARLY_CLOSE : CLOSE;
    session = {
      date: dateOfDay(day),
      preOpen: nyWallToUtc(day, PRE_OPEN),
      open: nyWallToUtc(day, OPEN),
      close: nyWallToUtc(day, close),
      // After-hours run four hours past the close: 20:00, or 17:00 on early-close days.
      postClose: nyWallToUtc(day, close + AFTER_HOURS),
      earlyClose,
    };
  }
  if (sessions.size > 50_000) sessions.clear();
  sessions.set(day, session);
  return session;
}

/** The session on `date` (YYYY-MM-DD, New York), or null on weekends, holidays and invalid dates. */
export function sessionOn(date: string): SessionDay | null {
  const day = dayNumber(date);
  return Number.isNaN(day) ? null : sessionOnDay(day);
}

/** The market phase at instant `t`. */
export function phaseAt(t: number): MarketPhase {
  const s = sessionOnDay(exchangeDay(t));
  if (!s || t < s.preOpen || t >= s.postClose) return 'closed';
  if (t < s.open) return 'pre';
  return t < s.close ? 'regular' : 'post';
}

/** Every session from `start` to `end` inclusive (YYYY-MM-DD); empty when either date is invalid. */
export function tradingDays(start: string, end: string): SessionDay[] {
  const from = dayNumber(start);
  const to = dayNumber(end);
  const out: SessionDay[] = [];
  for (let d = from; d <= to; d++) {
    const s = sessionOnDay(d);
    if (s) out.push(s);
  }
  return out;
}

/** The first session whose `pick` time is strictly after `t` (searching up to a month ahead). */
function firstAfter(t: number, pick: (s: SessionDay) => number): number {
  const first = exchangeDay(t);
  for (let d = first; d < first + 31; d++) {
    const s = sessionOnDay(d);
    if (s && pick(s) > t) return pick(s);
  }
  throw new RangeError(`no session within a month of ${new Date(t).toISOString()}`);
}

/** The next regular-session open strictly after `t` (UTC ms). */
export function nextOpen(t: number): number {
  return firstAfter(t, (s) => s.open);
}

/** The next regular-session close strictly after `t` (UTC ms); today's close while the market is open. */
export function nextClose(t: number): number {
  return firstAfter(t, (s) => s.close);
}

/** The session that is open or most recently started at or before `t`, searching back up to a month. */
export function sessionAtOrBefore(t: number): SessionDay | null {
  const first = exchangeDay(t);
  for (let d = first; d > first - 31; d--) {
    const s = sessionOnDay(d);
    if (s && s.preOpen <= t) return s;
  }
  return null;
}

/** Alpaca's market clock at instant `t`. */
export function clockAt(t: number): MarketClock {
  return {
    timestamp: formatNyIso(t),
    is_open: phaseAt(t) === 'regular',
    next_open: formatNyIso(nextOpen(t)),
    next_close: formatNyIso(nextClose(t)),
  };
}
