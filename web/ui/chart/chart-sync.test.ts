import { describe, expect, it } from 'vitest';
import { planChartSync } from './chart-sync.js';

const a = { t: 1 };
const b = { t: 2 };
const c = { t: 3 };
const bPrime = { t: 2 };

describe('planChartSync', () => {
  it('does nothing for the same array', () => {
    const list = [a, b];
    expect(planChartSync(list, list)).toEqual({ kind: 'none' });
  });
  it('updates only the last candle when it changed in place', () => {
    expect(planChartSync([a, b], [a, bPrime])).toEqual({ kind: 'update', from: 1 });
  });
  it('updates the new candle only when one was appended', () => {
    expect(planChartSync([a, b], [a, b, c])).toEqual({ kind: 'update', from: 2 });
  });
  it('updates the previous last and the new one when both moved', () => {
    expect(planChartSync([a, b], [a, bPrime, c])).toEqual({ kind: 'update', from: 1 });
  });
  it('plans a prepend when older candles came in front, even with the tail moving', () => {
    const z = { t: 0 };
    const y = { t: -1 };
    expect(planChartSync([a, b], [y, z, a, b])).toEqual({ kind: 'prepend', count: 2 });
    expect(planChartSync([a, b], [z, a, bPrime, c])).toEqual({ kind: 'prepend', count: 1 });
    expect(planChartSync([a, b, c], [z, b, c, { t: 4 }])).toEqual({ kind: 'reset' });
  });
  it('resets when the start moved, candles vanished, or an older candle changed', () => {
    expect(planChartSync([a, b], [b, c])).toEqual({ kind: 'reset' });
    expect(planChartSync([a, b, c], [a, b])).toEqual({ kind: 'reset' });
    expect(planChartSync([a, b, c], [a, bPrime, c])).toEqual({ kind: 'reset' });
    expect(planChartSync([], [a])).toEqual({ kind: 'reset' });
  });
});
