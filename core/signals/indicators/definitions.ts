import { Ichimoku, ichimoku } from './ichimoku.js';
import { Max, max, Min, min } from './extremes.js';
import { Macd, macd, Mom, mom, Roc, roc, Rsi, rsi } from './momentum.js';
import { Dema, dema, Ema, ema, Sma, sma, Tema, tema, Wma, wma } from './moving-averages.js';
import { Cci, cci, Stoch, stoch, StochRsi, stochRsi, WillR, willR } from './oscillators.js';
import type { IndicatorColumns, IndicatorInput, IndicatorParams, ParamSpec } from './registry.js';
import { Adx, adx, Sar, sar } from './trend.js';
import type { Column, OhlcvBar } from './types.js';
import {
  Atr,
  atr,
  Bbands,
  bbands,
  Donchian,
  donchian,
  Keltner,
  keltner,
  StdDev,
  stdDev,
} from './volatility.js';
import { Mfi, mfi, Obv, obv, Vwap, vwap } from './volume.js';

/** A running instance as the registry drives it: feed a bar, read each output (NaN during warm-up). */
export type Stream = {
  readonly lookback: number;
  feed(bar: OhlcvBar): void;
  /** For indicators of one value per bar: feeds that value directly (what `feed` reads from the bar's source). */
  readonly push?: (x: number) => void;
  /** For indicators of one value per bar and one output: `push`, then that output's value (NaN during warm-up). */
  readonly step?: (x: number) => number;
  readonly read: Readonly<Record<string, () => number>>;
};

/** One registry entry: description, streaming factory and batch function. */
export type Definition = {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  readonly inputs: readonly IndicatorInput[];
  readonly outputs: readonly string[];
  /** True when the indicator reads one value per bar (`close` or the chosen source). */
  readonly valueInput: boolean;
  lookback(p: IndicatorParams): number;
  stream(p: IndicatorParams, source: IndicatorInput): Stream;
  batch(
    columns: Required<IndicatorColumns>,
    p: IndicatorParams,
    source: IndicatorInput,
  ): Record<string, Float64Array>;
};

const int = (name: string, value: number, minimum = 2): ParamSpec => ({
  name,
  default: value,
  min: minimum,
  max: 100_000,
  integer: true,
});
const real = (name: string, value: number, minimum: number, maximum: number): ParamSpec => ({
  name,
  default: value,
  min: minimum,
  max: maximum,
  integer: false,
});
const p = (params: IndicatorParams, name: string): number => params[name]!;

/** A one-value-per-bar class; for a one-output class `next` returns that output (NaN during warm-up). */
type ValueStream = { readonly lookback: number; next(x: number): unknown };
type BarStream = { readonly lookback: number; next(bar: OhlcvBar): unknown };

type Fields = Record<string, number>;
/**
 * A reader factory per output name, each its own function literal: its property load sees only the classes with
 * that output (one, or a few for value and the bands), where one shared `() => fields[o]` is a megamorphic keyed
 * load on every read.
 */
const READERS: Readonly<Record<string, (s: Fields) => () => number>> = {
  value: (s) => () => s.value!,
  macd: (s) => () => s.macd!,
  signal: (s) => () => s.signal!,
  hist: (s) => () => s.hist!,
  upper: (s) => () => s.upper!,
  middle: (s) => () => s.middle!,
  lower: (s) => () => s.lower!,
};

/** Builds the field readers of `outputs` on a streaming object (single-output classes keep theirs in `value`). */
function readers(s: object, outputs: readonly string[]): Record<string, () => number> {
  const fields = s as Fields;
  return Object.fromEntries(
    outputs.map((o) => [o, Object.hasOwn(READERS, o) ? READERS[o]!(fields) : () => fields[o]!]),
  );
}

/** An entry whose streaming class reads one value per bar. */
function valueEntry(
  name: string,
  summary: string,
  params: readonly ParamSpec[],
  outputs: readonly string[],
  make: (p: IndicatorParams) => ValueStream,
  batch: (x: Column, p: IndicatorParams) => Float64Array | Record<string, Float64Array>,
): Definition {
  return {
    name,
    summary,
    params,
    outputs,
    inputs: ['close'],
    valueInput: true,
    lookback: (q) => make(q).lookback,
    stream(q, source) {
      const s = make(q);
      // One-output classes return their output from `next`, so `step` is that call (no keyed read of the field).
      const single = s as { next(x: number): number };
      return {
        lookback: s.lookback,
        feed: (bar) => void s.next(bar[source]),
        push: (x) => void s.next(x),
        ...(outputs.length === 1 && { step: (x: number) => single.next(x) }),
        read: readers(s, outputs),
      };
    },
    batch(columns, q, source) {
      const r = batch(columns[source], q);
      return r instanceof Float64Array ? { value: r } : r;
    },
  };
}

/** An entry whose streaming class reads whole bars. */
function barEntry(
  name: string,
  summary: string,
  params: readonly ParamSpec[],
  inputs: readonly IndicatorInput[],
  outputs: readonly string[],
  make: (p: IndicatorParams) => BarStream,
  batch: (c: Required<IndicatorColumns>, p: IndicatorParams) => Float64Array | Record<string, Float64Array>,
): Definition {
  return {
    name,
    summary,
    params,
    inputs,
    outputs,
    valueInput: false,
    lookback: (q) => make(q).lookback,
    stream(q) {
      const s = make(q);
      return { lookback: s.lookback, feed: (bar) => void s.next(bar), read: readers(s, outputs) };
    },
    batch(columns, q) {
      const r = batch(columns, q);
      return r instanceof Float64Array ? { value: r } : r;
    },
  };
}

const V = ['value'] as const;
const HLC: IndicatorInput[] = ['high', 'low', 'close'];
const BANDS = ['upper', 'middle', 'lower'] as const;

/** Every registry entry. Defaults are the usual charting ones (TA-Lib's own defaults differ for SMA 30, BBANDS 5, STOCH 5, CCI 14). */
export const definitions: readonly Definition[] = [
  valueEntry(
    'SMA',
    'Simple moving average',
    [int('period', 20)],
    V,
    (q) => new Sma(p(q, 'period')),
    (x, q) => sma(x, p(q, 'period')),
  ),
  valueEntry(
    'EMA',
    'Exponential moving average, SMA-seeded',
    [int('period', 20)],
    V,
    (q) => new Ema(p(q, 'period')),
    (x, q) => ema(x, p(q, 'period')),
  ),
  valueEntry(
    'WMA',
    'Linearly weighted moving average',
    [int('period', 20)],
    V,
    (q) => new Wma(p(q, 'period')),
    (x, q) => wma(x, p(q, 'period')),
  ),
  valueEntry(
    'DEMA',
    'Double exponential moving average',
    [int('period', 20)],
    V,
    (q) => new Dema(p(q, 'period')),
    (x, q) => dema(x, p(q, 'period')),
  ),
  valueEntry(
    'TEMA',
    'Triple exponential moving average',
    [int('period', 20)],
    V,
    (q) => new Tema(p(q, 'period')),
    (x, q) => tema(x, p(q, 'period')),
  ),
  valueEntry(
    'RSI',
    'Relative strength index (Wilder)',
    [int('period', 14)],
    V,
    (q) => new Rsi(p(q, 'period')),
    (x, q) => rsi(x, p(q, 'period')),
  ),
  valueEntry(
    'ROC',
    'Rate of change, percent',
    [int('period', 10, 1)],
    V,
    (q) => new Roc(p(q, 'period')),
    (x, q) => roc(x, p(q, 'period')),
  ),
  valueEntry(
    'MOM',
    'Momentum (difference)',
    [int('period', 10, 1)],
    V,
    (q) => new Mom(p(q, 'period')),
    (x, q) => mom(x, p(q, 'period')),
  ),
  valueEntry(
    'STDDEV',
    'Population standard deviation',
    [int('period', 20), real('nbDev', 1, -3e37, 3e37)],
    V,
    (q) => new StdDev(p(q, 'period'), p(q, 'nbDev')),
    (x, q) => stdDev(x, p(q, 'period'), p(q, 'nbDev')),
  ),
  valueEntry(
    'MAX',
    'Highest value over a period',
    [int('period', 20)],
    V,
    (q) => new Max(p(q, 'period')),
    (x, q) => max(x, p(q, 'period')),
  ),
  valueEntry(
    'MIN',
    'Lowest value over a period',
    [int('period', 20)],
    V,
    (q) => new Min(p(q, 'period')),
    (x, q) => min(x, p(q, 'period')),
  ),
  valueEntry(
    'MACD',
    'Moving average convergence/divergence',
    [int('fast', 12), int('slow', 26), int('signal', 9, 1)],
    ['macd', 'signal', 'hist'],
    (q) => new Macd(p(q, 'fast'), p(q, 'slow'), p(q, 'signal')),
    (x, q) => macd(x, p(q, 'fast'), p(q, 'slow'), p(q, 'signal')),
  ),
  valueEntry(
    'BBANDS',
    'Bollinger Bands (SMA ± population stddev)',
    [int('period', 20), real('nbDevUp', 2, -3e37, 3e37), real('nbDevDn', 2, -3e37, 3e37)],
    BANDS,
    (q) => new Bbands(p(q, 'period'), p(q, 'nbDevUp'), p(q, 'nbDevDn')),
    (x, q) => bbands(x, p(q, 'period'), p(q, 'nbDevUp'), p(q, 'nbDevDn')),
  ),
  valueEntry(
    'STOCHRSI',
    'Stochastic RSI (fast stochastic of RSI)',
    [int('period', 14), int('fastK', 14, 1), int('fastD', 3, 1)],
    ['fastK', 'fastD'],
    (q) => new StochRsi(p(q, 'period'), p(q, 'fastK'), p(q, 'fastD')),
    (x, q) => stochRsi(x, p(q, 'period'), p(q, 'fastK'), p(q, 'fastD')),
  ),
  barEntry(
    'ATR',
    'Average true range (Wilder)',
    [int('period', 14, 1)],
    HLC,
    V,
    (q) => new Atr(p(q, 'period')),
    (c, q) => atr(c.high, c.low, c.close, p(q, 'period')),
  ),
  barEntry(
    'CCI',
    'Commodity channel index',
    [int('period', 20)],
    HLC,
    V,
    (q) => new Cci(p(q, 'period')),
    (c, q) => cci(c.high, c.low, c.close, p(q, 'period')),
  ),
  barEntry(
    'WILLR',
    "Williams' %R",
    [int('period', 14)],
    HLC,
    V,
    (q) => new WillR(p(q, 'period')),
    (c, q) => willR(c.high, c.low, c.close, p(q, 'period')),
  ),
  barEntry(
    'STOCH',
    'Slow stochastic',
    [int('fastK', 14, 1), int('slowK', 3, 1), int('slowD', 3, 1)],
    HLC,
    ['slowK', 'slowD'],
    (q) => new Stoch(p(q, 'fastK'), p(q, 'slowK'), p(q, 'slowD')),
    (c, q) => stoch(c.high, c.low, c.close, p(q, 'fastK'), p(q, 'slowK'), p(q, 'slowD')),
  ),
  barEntry(
    'ADX',
    'Average directional index with +DI/−DI (Wilder)',
    [int('period', 14)],
    HLC,
    ['adx', 'plusDI', 'minusDI'],
    (q) => new Adx(p(q, 'period')),
    (c, q) => adx(c.high, c.low, c.close, p(q, 'period')),
  ),
  barEntry(
    'SAR',
    'Parabolic SAR',
    [real('acceleration', 0.02, 0, 3e37), real('maximum', 0.2, 0, 3e37)],
    ['high', 'low'],
    V,
    (q) => new Sar(p(q, 'acceleration'), p(q, 'maximum')),
    (c, q) => sar(c.high, c.low, p(q, 'acceleration'), p(q, 'maximum')),
  ),
  barEntry(
    'KELTNER',
    'Keltner channels (EMA of typical price ± multiplier × ATR)',
    [int('period', 20), int('atrPeriod', 10, 1), real('multiplier', 2, 0, 1000)],
    HLC,
    BANDS,
    (q) => new Keltner(p(q, 'period'), p(q, 'atrPeriod'), p(q, 'multiplier')),
    (c, q) => keltner(c.high, c.low, c.close, p(q, 'period'), p(q, 'atrPeriod'), p(q, 'multiplier')),
  ),
  barEntry(
    'DONCHIAN',
    'Donchian channels',
    [int('period', 20, 1)],
    ['high', 'low'],
    BANDS,
    (q) => new Donchian(p(q, 'period')),
    (c, q) => donchian(c.high, c.low, p(q, 'period')),
  ),
  barEntry(
    'ICHIMOKU',
    'Ichimoku Kinko Hyo',
    [int('tenkan', 9, 1), int('kijun', 26, 1), int('senkouB', 52, 1), int('displacement', 26, 1)],
    HLC,
    ['tenkan', 'kijun', 'senkouA', 'senkouB', 'chikou'],
    (q) => new Ichimoku(p(q, 'tenkan'), p(q, 'kijun'), p(q, 'senkouB'), p(q, 'displacement')),
    (c, q) =>
      ichimoku(c.high, c.low, c.close, p(q, 'tenkan'), p(q, 'kijun'), p(q, 'senkouB'), p(q, 'displacement')),
  ),
  barEntry(
    'OBV',
    'On-balance volume',
    [],
    ['close', 'volume'],
    V,
    () => new Obv(),
    (c) => obv(c.close, c.volume),
  ),
  barEntry(
    'MFI',
    'Money flow index',
    [int('period', 14)],
    ['high', 'low', 'close', 'volume'],
    V,
    (q) => new Mfi(p(q, 'period')),
    (c, q) => mfi(c.high, c.low, c.close, c.volume, p(q, 'period')),
  ),
  {
    ...barEntry(
      'VWAP',
      'Volume-weighted average typical price; re-anchored when bar.session changes',
      [],
      ['high', 'low', 'close', 'volume'],
      V,
      () => new Vwap(),
      (c) => vwap(c.high, c.low, c.close, c.volume, c.session),
    ),
    stream() {
      const s = new Vwap();
      return { lookback: 0, feed: (bar) => void s.next(bar, bar.session), read: { value: () => s.value } };
    },
  },
];
