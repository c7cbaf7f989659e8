import { describe, expect, it } from 'vitest';
import type { Snapshot, WireBar } from '../../../../contracts/market.js';
import { applyQuote, applyTrade, changeOf, flashDirection, rowFromSnapshot } from './quote-row.js';

const bar = (c: number, v: number): WireBar => ({
  t: '2026-11-24T05:00:00Z',
  o: c,
  h: c,
  l: c,
  c,
  v,
  n: 1,
  vw: c,
});
const snapshot: Snapshot = {
  latestTrade: { t: '2026-11-24T15:00:00Z', x: 'V', p: 101, s: 10, c: [], i: 1, z: 'C' },
  latestQuote: {
    t: '2026-11-24T15:00:00Z',
    ax: 'V',
    ap: 101.05,
    as: 1,
    bx: 'V',
    bp: 100.95,
    bs: 2,
    c: [],
    z: 'C',
  },
  minuteBar: bar(100.5, 50),
  dailyBar: bar(101, 5_000),
  prevDailyBar: bar(100, 9_000),
};
// 10:00:01 New York, in the regular session.
const trade = (p: number, s = 5, t = '2026-11-24T15:00:01Z') => ({ p, s, t });

describe('rowFromSnapshot', () => {
  it('takes last from the latest trade, volume from the daily bar and the base from the previous day', () => {
    expect(rowFromSnapshot('AAPL', snapshot)).toMatchObject({
      last: 101,
      prevClose: 100,
      volume: 5_000,
      bid: 100.95,
      ask: 101.05,
    });
  });

  it('shows nothing it does not know', () => {
    expect(rowFromSnapshot('AAPL', undefined)).toMatchObject({ last: null, prevClose: null, volume: null });
  });
});

describe('applyTrade', () => {
  const row = rowFromSnapshot('AAPL', snapshot);

  it('moves the last price, adds the size to the day volume and flashes in the direction of the move', () => {
    const up = applyTrade(row, trade(102));
    expect(up).toMatchObject({ last: 102, volume: 5_005, flash: 'up', flashId: 1 });
    const down = applyTrade(up, trade(101.5, 1, '2026-11-24T15:00:02Z'));
    expect(down).toMatchObject({ flash: 'down', flashId: 2 });
  });

  it('does not flash again when the price is unchanged', () => {
    const same = applyTrade(row, trade(101));
    expect(same).toMatchObject({ volume: 5_005, flashId: 0 });
  });

  it('skips trades the snapshot already counted', () => {
    expect(applyTrade(row, trade(150, 5, '2026-11-24T15:00:00Z'))).toBe(row);
  });

  it('leaves after-hours trades out of the day volume', () => {
    expect(applyTrade(row, trade(103, 7, '2026-11-24T22:00:00Z'))).toMatchObject({
      last: 103,
      volume: 5_000,
    });
  });
});

describe('flashDirection', () => {
  it('is null without a previous price or without a move', () => {
    expect(flashDirection(null, 1)).toBeNull();
    expect(flashDirection(1, 1)).toBeNull();
    expect(flashDirection(1, 2)).toBe('up');
    expect(flashDirection(2, 1)).toBe('down');
  });
});

describe('applyQuote and changeOf', () => {
  it('updates bid and ask, and measures change against the previous close', () => {
    const row = applyQuote(rowFromSnapshot('AAPL', snapshot), { bp: 99, ap: 99.1 });
    expect(row).toMatchObject({ bid: 99, ask: 99.1 });
    expect(changeOf(row)).toEqual({ change: 1, percent: 0.01 });
    expect(changeOf({ ...row, prevClose: null })).toBeNull();
  });
});
