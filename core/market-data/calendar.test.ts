import { describe, it, expect } from 'vitest';
import { clockAt, nextClose, nextOpen, phaseAt, sessionOn, tradingDays } from './calendar.js';
import { exchangeDate, nyOffset } from './ny-time.js';

const at = (iso: string): number => Date.parse(iso);

describe('sessionOn', () => {
  it('returns null when the day is a full holiday', () => {
    for (const d of [
      '2024-03-29',
      '2022-06-20',
      '2021-12-24',
      '2012-10-29',
      '2012-10-30',
      '2001-09-11',
      '2001-09-14',
      '2004-06-11',
      '2007-01-02',
      '2018-12-05',
      '2025-01-09',
      '2024-01-15',
      '2024-02-19',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
      '2023-01-02',
      '2022-12-26',
      '2021-07-05',
      '2026-07-03',
      '2000-01-17',
      '2017-01-02',
      '2015-07-03',
    ]) {
      expect(sessionOn(d), d).toBeNull();
    }
  });

  it('returns null when the day is a weekend', () => {
    expect(sessionOn('2024-06-15')).toBeNull();
    expect(sessionOn('2024-06-16')).toBeNull();
  });

  it('opens on Dec 31 when New Year falls on a Saturday', () => {
    expect(sessionOn('2021-12-31')?.close).toBe(at('2021-12-31T21:00:00Z'));
    expect(sessionOn('2010-12-31')?.earlyClose).toBe(false);
  });

  it('closes at 13:00 ET when the day is an early close', () => {
    expect(sessionOn('2024-11-29')).toMatchObject({
      close: at('2024-11-29T18:00:00Z'),
      earlyClose: true,
      postClose: at('2024-11-29T22:00:00Z'),
    });
    expect(sessionOn('2024-07-03')).toMatchObject({ close: at('2024-07-03T17:00:00Z'), earlyClose: true });
    expect(sessionOn('2013-07-03')?.earlyClose).toBe(true);
    expect(sessionOn('2024-12-24')?.earlyClose).toBe(true);
    expect(sessionOn('2002-07-05')?.earlyClose).toBe(true);
    expect(sessionOn('2002-07-03')?.earlyClose).toBe(false);
    expect(sessionOn('2019-07-05')?.earlyClose).toBe(false);
    expect(sessionOn('2022-07-01')?.earlyClose).toBe(false);
  });

  it('follows daylight saving time when the clocks change', () => {
    expect(sessionOn('2024-07-01')).toMatchObject({
      preOpen: at('2024-07-01T08:00:00Z'),
      open: at('2024-07-01T13:30:00Z'),
      close: at('2024-07-01T20:00:00Z'),
      postClose: at('2024-07-02T00:00:00Z'),
    });
    expect(sessionOn('2024-01-03')?.open).toBe(at('2024-01-03T14:30:00Z'));
    expect(sessionOn('2024-03-08')?.open).toBe(at('2024-03-08T14:30:00Z'));
    expect(sessionOn('2024-03-11')?.open).toBe(at('2024-03-11T13:30:00Z'));
    expect(sessionOn('2024-11-01')?.open).toBe(at('2024-11-01T13:30:00Z'));
    expect(sessionOn('2024-11-04')?.open).toBe(at('2024-11-04T14:30:00Z'));
    expect(sessionOn('2006-04-03')?.open).toBe(at('2006-04-03T13:30:00Z'));
    expect(sessionOn('2006-03-31')?.open).toBe(at('2006-03-31T14:30:00Z'));
    expect(sessionOn('2006-10-30')?.open).toBe(at('2006-10-30T14:30:00Z'));
  });
});

describe('tradingDays', () => {
  it('counts the NYSE trading days when given whole years', () => {
    expect(tradingDays('2024-01-01', '2024-12-31')).toHaveLength(252);
    expect(tradingDays('2023-01-01', '2023-12-31')).toHaveLength(250);
    expect(tradingDays('2022-01-01', '2022-12-31')).toHaveLength(251);
    expect(tradingDays('2001-01-01', '2001-12-31')).toHaveLength(248);
  });

  it('includes both ends when they are trading days', () => {
    expect(tradingDays('2024-01-02', '2024-01-05').map((s) => s.date)).toEqual([
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
    ]);
  });
});

describe('phaseAt', () => {
  it('names each phase when given times across a day', () => {
    expect(phaseAt(at('2024-07-01T07:59:59Z'))).toBe('closed');
    expect(phaseAt(at('2024-07-01T08:00:00Z'))).toBe('pre');
    expect(phaseAt(at('2024-07-01T13:30:00Z'))).toBe('regular');
    expect(phaseAt(at('2024-07-01T20:00:00Z'))).toBe('post');
    expect(phaseAt(at('2024-07-02T00:00:00Z'))).toBe('closed');
    expect(phaseAt(at('2024-12-25T15:00:00Z'))).toBe('closed');
  });
});

describe('nextOpen', () => {
  it('skips the weekend and holiday when asked on a Friday evening', () => {
    expect(nextOpen(at('2024-03-28T21:00:00Z'))).toBe(at('2024-04-01T13:30:00Z'));
    expect(nextClose(at('2024-03-28T19:00:00Z'))).toBe(at('2024-03-28T20:00:00Z'));
  });
});

describe('clockAt', () => {
  it('matches Alpaca clock shape when the market is open', () => {
    expect(clockAt(at('2022-04-28T18:07:04.451Z'))).toEqual({
      timestamp: '2022-04-28T14:07:04.451-04:00',
      is_open: true,
      next_open: '2022-04-29T09:30:00-04:00',
      next_close: '2022-04-28T16:00:00-04:00',
    });
  });

  it('uses the winter offset when closed in January', () => {
    expect(clockAt(at('2024-01-06T12:00:00Z'))).toMatchObject({
      is_open: false,
      next_open: '2024-01-08T09:30:00-05:00',
      next_close: '2024-01-08T16:00:00-05:00',
    });
  });
});

describe('exchangeDate', () => {
  it('returns the New York date when UTC is already the next day', () => {
    expect(exchangeDate(at('2024-07-02T03:59:00Z'))).toBe('2024-07-01');
    expect(exchangeDate(at('2024-01-02T04:59:00Z'))).toBe('2024-01-01');
    expect(exchangeDate(at('2024-01-02T05:00:00Z'))).toBe('2024-01-02');
  });
});

describe('tradingDays', () => {
  it('yields a plausible session count when given each year 2000–2030', () => {
    for (let y = 2000; y <= 2030; y++) {
      const n = tradingDays(`${y}-01-01`, `${y}-12-31`).length;
      expect(n, String(y)).toBeGreaterThanOrEqual(248);
      expect(n, String(y)).toBeLessThanOrEqual(253);
    }
  });
});

describe('nyOffset', () => {
  it('switches at each year’s daylight-time boundaries, whichever year was asked about before', () => {
    const HOUR = 3_600_000;
    // [instant, offset]: the spring switch at 07:00Z and the autumn one at 06:00Z, in two years, interleaved.
    const cases: [string, number][] = [
      ['2024-03-10T06:59:59Z', -5 * HOUR],
      ['2023-11-05T05:59:59Z', -4 * HOUR],
      ['2024-03-10T07:00:00Z', -4 * HOUR],
      ['2023-11-05T06:00:00Z', -5 * HOUR],
      ['2024-12-31T23:59:59Z', -5 * HOUR],
      ['2025-07-01T12:00:00Z', -4 * HOUR],
      ['2024-07-01T12:00:00Z', -4 * HOUR],
      ['2006-04-02T07:00:00Z', -4 * HOUR],
      ['2006-04-02T06:59:59Z', -5 * HOUR],
    ];
    for (const [iso, offset] of cases) expect(nyOffset(at(iso)), iso).toBe(offset);
  });
});
