import { describe, expect, it } from 'vitest';
import { fillRows, toCsv } from './to-csv.js';

describe('toCsv', () => {
  it('quotes cells with commas, quotes or line breaks', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', 'x\ny']])).toBe('a,"b,c","say ""hi""","x\ny"\r\n');
  });

  it('defuses formula-looking text but keeps negative numbers as numbers', () => {
    expect(toCsv([['=HYPERLINK("x")', '-12.5', '@SUM']])).toBe(`"'=HYPERLINK(""x"")",-12.5,'@SUM\r\n`);
  });
});

describe('fillRows', () => {
  it('puts the header first and one line per fill', () => {
    const rows = fillRows([
      { transaction_time: 't', symbol: 'AAPL', side: 'buy', qty: '1', price: '187.35' },
    ]);
    expect(rows[0]?.[1]).toBe('symbol');
    expect(rows[1]?.slice(0, 5)).toEqual(['t', 'AAPL', 'buy', '1', '187.35']);
  });
});
