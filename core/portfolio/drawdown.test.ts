import { describe, expect, it } from 'vitest';
import { Money } from '../kernel/index.js';
import { maxDrawdown } from './drawdown.js';

describe('maxDrawdown', () => {
  it('finds the largest fall from a running peak when the curve recovers in between', () => {
    const curve = ['100000', '101000', '99990', '102000', '100980', '103000'].map((v) => new Money(v));
    const { amount, fraction } = maxDrawdown(curve);
    expect([amount.toString(), fraction.toString()]).toEqual(['1020', '0.01']);
  });
});
