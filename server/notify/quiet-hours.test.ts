import { describe, expect, it } from 'vitest';
import { isValidTimeZone, quietUntil } from './quiet-hours.js';

const at = (iso: string) => Date.parse(iso);

describe('quietUntil', () => {
  const night = { enabled: true, timeZone: 'America/New_York', start: '22:00', end: '07:00' };

  it('returns the local end of a window that crosses midnight', () => {
    // 23:30 EDT on 12 March is 03:30Z on the 13th; 07:00 EDT is 11:00Z.
    expect(quietUntil(night, at('2024-03-13T03:30:00Z'))).toBe(at('2024-03-13T11:00:00Z'));
    expect(quietUntil(night, at('2024-03-13T10:59:30Z'))).toBe(at('2024-03-13T11:00:00Z'));
  });

  it('returns undefined outside the window, when disabled, or when start equals end', () => {
    expect(quietUntil(night, at('2024-03-13T11:00:00Z'))).toBeUndefined();
    expect(quietUntil({ ...night, enabled: false }, at('2024-03-13T03:30:00Z'))).toBeUndefined();
    expect(quietUntil({ ...night, end: '22:00' }, at('2024-03-13T03:30:00Z'))).toBeUndefined();
    expect(quietUntil(undefined, at('2024-03-13T03:30:00Z'))).toBeUndefined();
  });

  it('follows a DST change inside the window', () => {
    // Clocks go forward at 02:00 on 10 March 2024: 23:00 EST (04:00Z) to 07:00 EDT (11:00Z) is 7 hours.
    expect(quietUntil(night, at('2024-03-10T04:00:00Z'))).toBe(at('2024-03-10T11:00:00Z'));
    // And back on 3 November: 23:00 EDT (03:00Z) to 07:00 EST (12:00Z) is 9 hours.
    expect(quietUntil(night, at('2024-11-03T03:00:00Z'))).toBe(at('2024-11-03T12:00:00Z'));
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and refuses anything else', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
