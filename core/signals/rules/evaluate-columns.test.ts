import { describe, expect, it } from 'vitest';
import { BarChunks, CHUNK_BARS, chunkVerdicts, evaluateColumns } from './evaluate-columns.js';
import { compiledRule, randomMinuteBars } from './testing/rule-bars.js';

const rule = (source: string) => compiledRule(source);

// Every step kind and indicator input: fields (price and derived), slot inputs, history reads, channels,
// Kleene logic, arithmetic with division by zero, min/max, a session-anchored VWAP, and a higher timeframe.
const RULES = [
  'crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70',
  'crossunder(ema(close, 12), ema(close, 26)) or close > bbands(20, 2).upper',
  'volume > 2 * sma(volume, 20) and not (close < open)',
  'pct_change(close, 5) < -0.5 or moving_up_pct(close, 0.5, 3) or moving_down_pct(close, 0.4, 2)',
  'macd(12, 26, 9).hist crosses_above 0 or stoch(14, 3, 3).k crosses_below stoch(14, 3, 3).d',
  'entering_channel(close, keltner(20, 10, 2).lower, keltner(20, 10, 2).upper) or exiting_channel(rsi(14), 30, 70)',
  'inside_channel(close, donchian(20).lower, donchian(20).upper) and outside_channel(rsi(14), 45, 55)',
  'adx(14) > 20 and adx(14).plus_di > adx(14).minus_di and vwap() < close and sma(rsi(7), 5) > 50',
  'not (highest(high, 20) > prev(highest(high, 20), 3)) and change(obv(), 2) > 0',
  'ema(hl2, 10) > sma(ohlc4, 10) and abs(close - open) / (high - low) > 0.5',
  'min(close, open, sma(close, 5)) >= max(low, ema(close, 5) - 1) or (-close % 3 < -2.9 and close != open * 1)',
  'sma(close, 2, "1Day") < close and ema(hl2, 3, "1Hour") > open',
];

describe('evaluateColumns', () => {
  const bars = randomMinuteBars(6_000, 2024);

  // Chunk sizes smaller than the histories read (prev 3, cross 1) check the history carried across chunks.
  it.each([2, 7, 500, CHUNK_BARS])(
    'gives exactly the verdicts and reported values of streaming onBar, for every rule (chunks of %i)',
    (size) => {
      for (const source of RULES) {
        const r = rule(source);
        const state = r.createState();
        const streamed = bars.map((b) => r.onBar(state, b));
        const columns = evaluateColumns(r, bars, size);
        expect(
          Array.from(columns.value, (x) => x === 1),
          source,
        ).toEqual(streamed.map((e) => e.value));
        const trueAt = streamed.flatMap((e, i) => (e.value ? [i] : []));
        expect(trueAt.length, `${source} is true somewhere`).toBeGreaterThan(0);
        expect(trueAt.length, `${source} is false somewhere`).toBeLessThan(bars.length);
        for (const i of trueAt)
          expect(columns.values.get(i), `${source} at ${i}`).toEqual(streamed[i]!.values);
      }
    },
  );

  it('feeds an indicator shared by two rules over the same chunks once per chunk', () => {
    const chunks = new BarChunks(bars, 1000);
    const a = chunkVerdicts(rule('sma(close, 50) > sma(close, 200)'), chunks);
    const b = chunkVerdicts(rule('close < sma(close, 200)'), chunks);
    const alone = evaluateColumns(rule('close < sma(close, 200)'), bars);
    for (let start = 0; chunks.load(start); start += 1000) {
      a.evaluate();
      b.evaluate();
      for (let j = 0; j < chunks.length; j++) expect(b.value[j]).toBe(alone.value[start + j]);
    }
    expect([...chunks.indicators.keys()].sort()).toEqual(['SMA(200)<close>', 'SMA(50)<close>']);
    expect(chunks.indicators.get('SMA(200)<close>')!.computed).toBe(chunks.chunk);
  });

  it('refuses bars out of order, as streaming does', () => {
    const swapped = [bars[1]!, bars[0]!, ...bars.slice(2, 10)];
    expect(() => evaluateColumns(rule('close > 1'), swapped)).toThrow(
      expect.objectContaining({ code: 'SIGNALS_BARS_OUT_OF_ORDER' }),
    );
  });
});
