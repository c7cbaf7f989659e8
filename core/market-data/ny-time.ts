import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/index.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const dstCache = new Map<number, readonly [number, number]>();

/** Days since 1970-01-01 of a YYYY-MM-DD date, or NaN when the text is not a valid date. */
export function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return Number.NaN;
  return ms / DAY_MS;
}

/** Dates of day numbers already asked about. */
const dates = new Map<number, string>();

/** The YYYY-MM-DD date of a day number (days since 1970-01-01). */
export function dateOfDay(day: number): string {
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    // The calendar asks about a handful of days over and over; the memo starts over past a few years' worth.
    if (dates.size >= 4_096) dates.clear();
    dates.set(day, date);
  }
  return date;
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Day number of `y-m-d` (month 1–12). */
export function dayOf(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** Day number of the `n`th (1-based) `weekday` of a month; n = -1 for the last one. */
export function nthWeekday(y: number, m: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = dayOf(y, m, 1);
    return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = dayOf(y, m + 1, 1) - 1;
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** UTC ms bounds [start, end) of US Eastern daylight time in `year` (Energy Policy Act rules from 2007). */
export function easternDstBounds(year: number): readonly [number, number] {
  let b = dstCache.get(year);
  if (!b) {
    // The switch happens at 02:00 local: 07:00Z in spring (EST), 06:00Z in autumn (EDT).
    const start = year >= 2007 ? nthWeekday(year, 3, 0, 2) : nthWeekday(year, 4, 0, 1);
    const end = year >= 2007 ? nthWeekday(year, 11, 0, 1) : nthWeekday(year, 10, 0, -1);
    b = [start * DAY_MS + 7 * HOUR_MS, end * DAY_MS + 6 * HOUR_MS] as const;
    dstCache.set(year, b);
  }
  return b;
}

/** The UTC year {@link nyOffset} last answered for, and its daylight-time bounds. */
let yearFrom = Number.POSITIVE_INFINITY;
let yearTo = Number.NEGATIVE_INFINITY;
let dstStart = 0;
let dstEnd = 0;

/** Offset of New York from UTC at instant `t`, in ms (-4h in daylight time, -5h otherwise). */
export function nyOffset(t: number): number {
  // The market clock asks about the same year over and over: its bounds are kept, with no Date made per call.
  if (!(t >= yearFrom && t < yearTo)) {
    const year = new Date(t).getUTCFullYear();
    yearFrom = Date.UTC(year, 0, 1);
    yearTo = Date.UTC(year + 1, 0, 1);
    [dstStart, dstEnd] = easternDstBounds(year);
  }
  return t >= dstStart && t < dstEnd ? -4 * HOUR_MS : -5 * HOUR_MS;
}

/** The UTC instant of New York wall-clock time `minutes` after midnight on day number `day`. */
export function nyWallToUtc(day: number, minutes: number): number {
  const local = day * DAY_MS + minutes * MINUTE_MS;
  const asDaylight = local + 4 * HOUR_MS;
  return nyOffset(asDaylight) === -4 * HOUR_MS ? asDaylight : local + 5 * HOUR_MS;
}

/** New York calendar date (YYYY-MM-DD) at instant `t`. */
export function exchangeDate(t: number): string {
  return dateOfDay(exchangeDay(t));
}

/** New York day number at instant `t`. */
export function exchangeDay(t: number): number {
  return Math.floor((t + nyOffset(t)) / DAY_MS);
}

/** RFC 3339 text of `t` in New York time with its offset, e.g. 2024-01-03T09:30:00-05:00 (ms only when non-zero). */
export function formatNyIso(t: number): string {
  const offset = nyOffset(t);
  const iso = new Date(t + offset).toISOString();
  const body = iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
  return `${body}${offset === -4 * HOUR_MS ? '-04:00' : '-05:00'}`;
}
