import { describe, it, expect } from 'vitest';
import { SIM_INSTRUMENTS, findInstrument, searchInstruments } from './instruments.js';

describe('SIM_INSTRUMENTS', () => {
  it('lists at least 50 unique symbols with sane parameters', () => {
    expect(SIM_INSTRUMENTS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(SIM_INSTRUMENTS.map((i) => i.symbol)).size).toBe(SIM_INSTRUMENTS.length);
    for (const i of SIM_INSTRUMENTS) {
      expect(i.basePrice).toBeGreaterThan(1);
      expect(i.volatility).toBeGreaterThan(0.05);
      expect(i.avgDailyVolume).toBeGreaterThan(100_000);
    }
  });
});

describe('findInstrument', () => {
  it('finds a symbol when given lower case', () => {
    expect(findInstrument('aapl')?.name).toBe('Apple Inc.');
    expect(findInstrument('SPY')?.exchange).toBe('ARCA');
  });

  it('returns undefined when the symbol is unknown', () => {
    expect(findInstrument('NOPE')).toBeUndefined();
  });
});

describe('searchInstruments', () => {
  it('ranks symbol prefixes before name matches when both match', () => {
    const hits = searchInstruments('a', 100).map((i) => i.symbol);
    expect(hits.slice(0, 3)).toEqual(['AMD', 'AAPL', 'ABBV']);
    expect(hits.indexOf('AAPL')).toBeLessThan(hits.indexOf('T'));
    expect(hits).toContain('T');
  });

  it('matches names case-insensitively when the query is a word', () => {
    expect(searchInstruments('micro', 5).map((i) => i.symbol)).toEqual(['MSFT', 'AMD']);
  });

  it('honours the limit when many match', () => {
    expect(searchInstruments('e', 3)).toHaveLength(3);
  });
});
