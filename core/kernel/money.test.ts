import { describe, expect, it } from 'vitest';
import { Money, moneyOfNumber, parseMoney } from './money.js';

describe('moneyOfNumber', () => {
  it('is the exact decimal of the number as JSON carried it, the same instance when asked again', () => {
    for (const n of [187.23, 0.0001, 100, 1e-7, 123456789.12, -0.5, 0]) {
      expect(moneyOfNumber(n).equals(new Money(String(n)))).toBe(true);
      expect(moneyOfNumber(n)).toBe(moneyOfNumber(n));
    }
    expect(moneyOfNumber(0.1).plus(moneyOfNumber(0.2)).toString()).toBe('0.3');
  });

  it('keeps a bounded number of decimals and stays exact once it starts over', () => {
    for (let i = 0; i < 20_000; i++) expect(moneyOfNumber(i / 100).toString()).toBe(String(i / 100));
    expect(moneyOfNumber(1.5).toString()).toBe('1.5');
  });
});

describe('parseMoney', () => {
  it('accepts plain decimals only', () => {
    expect(parseMoney('12.50')?.toString()).toBe('12.5');
    for (const text of ['1e3', '', '.5', '1.', '0x10', 'NaN', ' 1']) expect(parseMoney(text)).toBeNull();
  });
});
