import { dayNumber, dayOf, nthWeekday, weekdayOf } from './ny-time.js';

/** How the NYSE treats a weekday: closed all day, or closing early at 13:00 ET. */
export type HolidayKind = 'closed' | 'early';

/** One-off NYSE closures (not rule-based) between 2000 and 2030. */
export const SPECIAL_CLOSURES: readonly string[] = [
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14', // September 11
  '2004-06-11', // President Reagan's funeral
  '2007-01-02', // President Ford's day of mourning
  '2012-10-29',
  '2012-10-30', // Hurricane Sandy
  '2018-12-05', // President G.H.W. Bush's day of mourning
  '2025-01-09', // President Carter's day of mourning
];

const cache = new Map<number, ReadonlyMap<number, HolidayKind>>();

/** Easter Sunday of `year` as a day number (anonymous Gregorian computus). */
export function easterDay(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(year, month, day);
}

/** Saturday → Friday, Sunday → Monday: the NYSE's observance of a fixed-date holiday. */
function nearestWeekday(day: number): number {
  const w = weekdayOf(day);
  return w === 6 ? day - 1 : w === 0 ? day + 1 : day;
}

/** Every NYSE full closure and early close in `year`, keyed by day number. */
export function nyseHolidays(year: number): ReadonlyMap<number, HolidayKind> {
  const hit = cache.get(year);
  if (hit) return hit;
  const days = new Map<number, HolidayKind>();
  const close = (d: number): void => void days.set(d, 'closed');
  // New Year's Day: Sunday → Monday; a Saturday is not observed on Friday Dec 31 (NYSE Rule 7.2).
  const ny = dayOf(year, 1, 1);
  if (weekdayOf(ny) === 0) close(ny + 1);
  else if (weekdayOf(ny) !== 6) close(ny);
  if (year >= 1998) close(nthWeekday(year, 1, 1, 3));
  close(nthWeekday(year, 2, 1, 3));
  close(easterDay(year) - 2);
  close(nthWeekday(year, 5, 1, -1));
  if (year >= 2022) close(nearestWeekday(dayOf(year, 6, 19)));
  close(nearestWeekday(dayOf(year, 7, 4)));
  close(nthWeekday(year, 9, 1, 1));
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  close(thanksgiving);
  close(nearestWeekday(dayOf(year, 12, 25)));
  for (const date of SPECIAL_CLOSURES) if (date.startsWith(`${year}-`)) close(dayNumber(date));
  const early = (d: number): void => {
    const w = weekdayOf(d);
    if (w !== 0 && w !== 6 && !days.has(d)) days.set(d, 'early');
  };
  // July 3 on Mon/Tue/Thu; on Wednesday only from 2013; before 2013 a Thursday July 4 made Friday July 5 early.
  const july3 = dayOf(year, 7, 3);
  const w3 = weekdayOf(july3);
  if (w3 === 1 || w3 === 2 || w3 === 4 || (w3 === 3 && year >= 2013)) early(july3);
  if (w3 === 3 && year < 2013) early(july3 + 2);
  early(thanksgiving + 1);
  const christmasEve = dayOf(year, 12, 24);
  if (weekdayOf(christmasEve) !== 5) early(christmasEve);
  cache.set(year, days);
  return days;
}
