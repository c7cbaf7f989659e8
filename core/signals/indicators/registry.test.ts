import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { definitions } from './definitions.js';
import { computeIndicator, createIndicator, indicatorSpec, indicatorSpecs } from './registry.js';
import { randomSeries } from './testing/fixtures.js';
import { firstMismatch, type Talib, talibOne, talibSeries } from './testing/talib-reference.js';

const talib = createRequire(import.meta.url)('talib') as Talib;
const s = randomSeries(300, 31, { flat: [[100, 130]] });
const sessions = s.close.map((_, i) => Math.floor(i / 78));
const bars = s.close.map((close, i) => ({
  open: s.open[i]!,
  high: s.high[i]!,
  low: s.low[i]!,
  close,
  volume: s.volume[i]!,
  time: s.time[i]!,
  session: sessions[i]!,
}));

describe('createIndicator', () => {
  for (const spec of indicatorSpecs) {
    it(`streams ${spec.name} bar by bar exactly as computeIndicator computes it in batch`, () => {
      const instance = createIndicator(spec.name);
      const streamed: Record<string, (number | null)[]> = Object.fromEntries(
        spec.outputs.map((o) => [o, []]),
      );
      for (const bar of bars) {
        const value = instance.update(bar);
        for (const o of spec.outputs) streamed[o]!.push(value[o] ?? null);
      }
      const batch = computeIndicator(spec.name, { ...s, session: sessions });
      expect(Object.keys(batch).sort()).toEqual([...spec.outputs].sort());
      for (const o of spec.outputs)
        expect(firstMismatch(streamed[o]!, batch[o]!, 0), `${spec.name}.${o}`).toBeNull();
    });

    it(`makes every ${spec.name} output non-null exactly from its lookback`, () => {
      const instance = createIndicator(spec.name);
      expect(instance.lookback).toBe(spec.lookback());
      let firstComplete = -1;
      bars.forEach((bar, i) => {
        const value = instance.update(bar);
        if (firstComplete < 0 && spec.outputs.every((o) => value[o] !== null)) firstComplete = i;
      });
      expect(firstComplete).toBe(instance.lookback);
    });
  }

  it('reads the source field a single-value indicator is created with', () => {
    const instance = createIndicator('sma', { period: 5 }, { source: 'high' });
    const streamed = bars.map((b) => instance.update(b).value ?? null);
    expect(
      firstMismatch(
        streamed,
        talibOne(talib, s.high.length, { name: 'SMA', inReal: s.high, optInTimePeriod: 5 }),
      ),
    ).toBeNull();
  });

  it('exposes MACD lines by name that match TA-Lib', () => {
    const instance = createIndicator('MACD');
    const hist = bars.map((b) => instance.update(b).hist ?? null);
    const expected = talibSeries(talib, s.close.length, {
      name: 'MACD',
      inReal: s.close,
      optInFastPeriod: 12,
      optInSlowPeriod: 26,
      optInSignalPeriod: 9,
    });
    expect(firstMismatch(hist, expected.outMACDHist!)).toBeNull();
    expect(instance.lookback).toBe(33);
  });

  it('rejects an unknown indicator with SIGNALS_UNKNOWN_INDICATOR', () => {
    expect(() => createIndicator('NOPE')).toThrow(
      expect.objectContaining({ code: 'SIGNALS_UNKNOWN_INDICATOR' }),
    );
  });

  it('rejects an unknown or out-of-range parameter with SIGNALS_INVALID_PARAMETER', () => {
    expect(() => createIndicator('SMA', { length: 3 })).toThrow(
      expect.objectContaining({ code: 'SIGNALS_INVALID_PARAMETER' }),
    );
    expect(() => createIndicator('SMA', { period: 1 })).toThrow(/period must be an integer from 2/);
    expect(() => createIndicator('BBANDS', { period: 2.5 })).toThrow(/period/);
  });
});

describe('indicatorSpec', () => {
  it('describes an indicator with its defaults, inputs, outputs and lookback', () => {
    const spec = indicatorSpec('stoch');
    expect(spec?.params.map((p) => [p.name, p.default])).toEqual([
      ['fastK', 14],
      ['slowK', 3],
      ['slowD', 3],
    ]);
    expect(spec?.inputs).toEqual(['high', 'low', 'close']);
    expect(spec?.outputs).toEqual(['slowK', 'slowD']);
    expect(spec?.lookback()).toBe(17);
    expect(spec?.lookback({ fastK: 5 })).toBe(8);
  });

  it('is undefined for an unknown name', () => {
    expect(indicatorSpec('NOPE')).toBeUndefined();
  });
});

describe('computeIndicator', () => {
  it('rejects columns of different lengths', () => {
    expect(() => computeIndicator('ATR', { high: [1, 2], low: [1], close: [1, 2] })).toThrow(
      /differ in length/,
    );
  });
  it('names a missing column', () => {
    expect(() => computeIndicator('MFI', { high: [1], low: [1], close: [1] })).toThrow(/volume/);
  });
});

describe('stream step (one value in, one output out)', () => {
  it('returns exactly what reading the output after a push gives, warm-up NaN included, for every such indicator', () => {
    const closes = randomSeries(600, 5).close;
    const steppers = definitions.filter((d) => d.valueInput && d.outputs.length === 1);
    expect(steppers.length).toBeGreaterThan(8);
    for (const d of steppers) {
      const params = Object.fromEntries(d.params.map((p) => [p.name, p.default]));
      const stepped = d.stream(params, 'close');
      const pushed = d.stream(params, 'close');
      const read = pushed.read[d.outputs[0]!]!;
      for (const x of closes) {
        const a = stepped.step!(x);
        pushed.push!(x);
        expect(Object.is(a, read()) || (Number.isNaN(a) && Number.isNaN(read())), `${d.name}`).toBe(true);
      }
    }
  });
});
