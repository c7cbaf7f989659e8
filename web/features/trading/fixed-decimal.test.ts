import { describe, expect, it } from 'vitest';
import {
  decimalPlaces,
  fixedFromPrice,
  fixedText,
  formatUsd,
  isWhole,
  mulFixed,
  parseFixed,
  subFixed,
  type Fixed,
} from './fixed-decimal.js';

const f = (text: string): Fixed => {
  const value = parseFixed(text);
  if (value === null) throw new Error(`bad decimal ${text}`);
  return value;
};

describe('parseFixed', () => {
  it('reads whole, fractional and leading-point decimals exactly', () => {
    expect(fixedText(f('12'))).toBe('12');
    expect(fixedText(f('0.000000001'))).toBe('0.000000001');
    expect(fixedText(f('.25'))).toBe('0.25');
  });

  it('refuses signs, text, empty input and more than 9 decimals', () => {
    for (const bad of ['', '.', '-1', '1e3', 'abc', '1.2.3', '0.0000000001'])
      expect(parseFixed(bad)).toBeNull();
  });
});

describe('mulFixed', () => {
  it('multiplies without float error when qty × price has many digits', () => {
    expect(fixedText(mulFixed(f('3'), f('0.1')))).toBe('0.3');
    expect(fixedText(mulFixed(f('0.5'), fixedFromPrice(187.35)))).toBe('93.675');
  });
});

describe('formatUsd', () => {
  it('rounds half away from zero to the cent', () => {
    expect(formatUsd(f('93.675'))).toBe('$93.68');
    expect(formatUsd(subFixed(f('0'), f('1234.5')))).toBe('-$1,234.50');
  });
});

describe('decimalPlaces and isWhole', () => {
  it('counts the digits after the point and spots whole numbers', () => {
    expect(decimalPlaces('1.230')).toBe(3);
    expect(decimalPlaces('7')).toBe(0);
    expect(isWhole(f('2.000'))).toBe(true);
    expect(isWhole(f('2.5'))).toBe(false);
  });
});
