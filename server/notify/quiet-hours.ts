import type { QuietHours } from '../../contracts/notify.js';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight at `at` in `timeZone`. */
export function localMinuteOfDay(at: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value);
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

function isInside(minute: number, start: number, end: number): boolean {
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * When quiet hours that cover `now` end (epoch ms), or undefined when `now` is outside them (or they
 * are off, or start equals end). Windows may cross midnight (22:00–07:00); DST shifts are followed.
 */
export function quietUntil(quiet: QuietHours | undefined, now: number): number | undefined {
  if (!quiet?.enabled) return undefined;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return undefined;
  const local = localMinuteOfDay(now, quiet.timeZone);
  if (!isInside(local, start, end)) return undefined;
  const minuteStart = now - (now % MINUTE);
  let candidate = minuteStart + ((end - local + DAY_MINUTES) % DAY_MINUTES) * MINUTE;
  // Across a DST change the wall clock moves by the offset difference: step onto the local end time.
  for (let i = 0; i < 3; i += 1) {
    const drift =
      ((end - localMinuteOfDay(candidate, quiet.timeZone) + DAY_MINUTES + 720) % DAY_MINUTES) - 720;
    if (drift === 0) break;
    candidate += drift * MINUTE;
  }
  // End time skipped by a DST gap: the first instant out of the window.
  while (isInside(localMinuteOfDay(candidate, quiet.timeZone), start, end)) candidate += MINUTE;
  return Math.max(candidate, now + 1);
}
