import { describe, expect, it } from 'vitest';
import {
  formatExchangeTick,
  formatExchangeTime,
  formatPercent,
  formatPrice,
  formatSignedPrice,
  formatVolume,
} from './format.js';

describe('formatPrice', () => {
  it('shows two decimals from $1 up and four below', () => {
    expect(formatPrice(1234.5)).toBe('1,234.50');
    expect(formatPrice(1)).toBe('1.00');
    expect(formatPrice(0.98765)).toBe('0.9877');
  });
});

describe('formatSignedPrice and formatPercent', () => {
  it('always shows the sign of a move', () => {
    expect(formatSignedPrice(1.2)).toBe('+1.20');
    expect(formatSignedPrice(-0.045, 0.9)).toBe('−0.0450');
    expect(formatSignedPrice(-0.13, 314.9)).toBe('−0.13');
    expect(formatSignedPrice(0, 10)).toBe('0.00');
    expect(formatPercent(0.0085)).toBe('+0.85%');
    expect(formatPercent(-0.1)).toBe('-10.00%');
  });
});

describe('formatVolume', () => {
  it('is compact', () => {
    expect(formatVolume(950)).toBe('950');
    expect(formatVolume(1_234_567)).toBe('1.23M');
  });
});

describe('exchange time', () => {
  // 14:30Z on 2026-11-24 is 09:30 in New York (EST).
  const open = Date.UTC(2026, 10, 24, 14, 30) / 1000;
  it('labels times in New York whatever the machine zone', () => {
    expect(formatExchangeTime(open)).toBe('09:30');
    expect(formatExchangeTick(open, 3)).toBe('09:30');
    expect(formatExchangeTick(open, 2)).toBe('Nov 24');
    expect(formatExchangeTick(open, 0)).toBe('2026');
  });
});
