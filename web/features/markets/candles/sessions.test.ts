import { describe, expect, it } from 'vitest';
import { timeframeOf } from './rollup.js';
import { calendarRange, isExtendedBar, sessionsFromCalendar } from './sessions.js';

const ny = (d: number, h: number, m: number): number => Date.UTC(2026, 10, d, h + 5, m) / 1000;
const sessions = sessionsFromCalendar([
  { date: '2026-11-24', open: '09:30', close: '16:00', session_open: '0400', session_close: '2000' },
  { date: '2026-11-27', open: '09:30', close: '13:00', session_open: '0400', session_close: '2000' },
]);
const one = timeframeOf('1Min');

describe('isExtendedBar', () => {
  it('marks minutes before the open and from the close on as extended', () => {
    expect(isExtendedBar(ny(24, 9, 29), one, sessions)).toBe(true);
    expect(isExtendedBar(ny(24, 9, 30), one, sessions)).toBe(false);
    expect(isExtendedBar(ny(24, 15, 59), one, sessions)).toBe(false);
    expect(isExtendedBar(ny(24, 16, 0), one, sessions)).toBe(true);
  });

  it('follows an early close and treats a day without a session as extended', () => {
    expect(isExtendedBar(ny(27, 13, 0), one, sessions)).toBe(true);
    expect(isExtendedBar(ny(27, 12, 59), one, sessions)).toBe(false);
    expect(isExtendedBar(ny(26, 11, 0), one, sessions)).toBe(true);
  });

  it('marks a bucket that straddles the open as extended, and never a daily bar', () => {
    expect(isExtendedBar(ny(24, 9, 0), timeframeOf('1Hour'), sessions)).toBe(true);
    expect(isExtendedBar(ny(24, 10, 0), timeframeOf('1Hour'), sessions)).toBe(false);
    expect(isExtendedBar(ny(26, 0, 0), timeframeOf('1Day'), sessions)).toBe(false);
  });
});

describe('calendarRange', () => {
  it('names New York dates, not UTC ones', () => {
    // 23:30 New York on the 24th is already the 25th in UTC.
    expect(calendarRange(ny(24, 4, 0), ny(24, 23, 30))).toEqual({ start: '2026-11-24', end: '2026-11-24' });
  });
});
