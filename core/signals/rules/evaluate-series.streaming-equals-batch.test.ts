import { describe, expect, it } from 'vitest';
import { computeIndicator } from '../indicators/registry.js';
import { evaluateSeries } from './evaluate-series.js';
import { compiledRule, randomMinuteBars } from './testing/rule-bars.js';

const rule = (source: string) => compiledRule(source);

const RULES = [
  'crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70',
  'close > bbands(20, 2).upper or close < bbands(20, 2).lower',
  'volume > 2 * sma(volume, 20)',
  'pct_change(close, 5) < -0.5 or moving_up_pct(close, 0.5, 3)',
  'sma(close, 2, "1Day") < close and ema(hl2, 3, "1Hour") > open',
  'macd(12, 26, 9).hist crosses_above 0 or stoch(14, 3, 3).k crosses_below stoch(14, 3, 3).d',
  'entering_channel(close, keltner(20, 10, 2).lower, keltner(20, 10, 2).upper) or exiting_channel(rsi(14), 30, 70)',
  'adx(14) > 20 and adx(14).plus_di > adx(14).minus_di and vwap() < close and sma(rsi(7), 5) > 50',
  'not (highest(high, 20) > prev(highest(high, 20), 3)) and change(obv(), 2) > 0',
];

describe('evaluateSeries', () => {
  const bars = randomMinuteBars(6_000, 2024);

  it('gives exactly the booleans of streaming onBar, for every rule on random data', () => {
    for (const source of RULES) {
      const r = rule(source);
      const state = r.createState();
      const streamed = bars.map((b) => r.onBar(state, b).value);
      const batch = evaluateSeries(r, bars);
      expect(batch, source).toEqual(streamed);
      expect(batch.some(Boolean), `${source} is true somewhere`).toBe(true);
      expect(batch.every(Boolean), `${source} is false somewhere`).toBe(false);
    }
  });

  it('continues a state across batches exactly as one long run', () => {
    for (const source of RULES) {
      const r = rule(source);
      const state = r.createState();
      const parts = [
        ...evaluateSeries(r, bars.slice(0, 2_345), state),
        ...evaluateSeries(r, bars.slice(2_345), state),
      ];
      expect(parts, source).toEqual(evaluateSeries(r, bars));
    }
  });

  it('equals the same condition composed by hand from batch indicator columns', () => {
    const close = Float64Array.from(bars, (b) => b.c);
    const fast = computeIndicator('SMA', { close }, { period: 50 }).value!;
    const slow = computeIndicator('SMA', { close }, { period: 200 }).value!;
    const rsi = computeIndicator('RSI', { close }, { period: 14 }).value!;
    const want = bars.map(
      (_, i) => i > 0 && fast[i]! > slow[i]! && fast[i - 1]! <= slow[i - 1]! && rsi[i]! < 70,
    );
    const got = evaluateSeries(rule('crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70'), bars);
    expect(got).toEqual(want);
    expect(got.filter(Boolean).length).toBeGreaterThan(3);
  });
});
