import { DomainError } from '../../kernel/index.js';
import { computeIndicator, type IndicatorColumns } from './registry.js';

/** One instrument's bars as columns; `time` in Unix seconds. */
export type SeriesColumns = {
  readonly time: readonly number[];
  readonly open: readonly number[];
  readonly high: readonly number[];
  readonly low: readonly number[];
  readonly close: readonly number[];
  readonly volume: readonly number[];
};

/** Indicator outputs per bar by key then output name; null during warm-up and for non-finite values. */
export type SeriesIndicators = Record<string, Record<string, (number | null)[]>>;

/** The standard indicator set: output key → registry name, params and which outputs to keep (renamed). */
const STANDARD_SET: readonly {
  key: string;
  name: string;
  params?: Record<string, number>;
  outputs: Readonly<Record<string, string>>;
}[] = [
  { key: 'SMA_20', name: 'SMA', params: { period: 20 }, outputs: { value: 'value' } },
  { key: 'EMA_20', name: 'EMA', params: { period: 20 }, outputs: { value: 'value' } },
  { key: 'WMA_20', name: 'WMA', params: { period: 20 }, outputs: { value: 'value' } },
  { key: 'RSI_14', name: 'RSI', params: { period: 14 }, outputs: { value: 'value' } },
  {
    key: 'MACD_12_26_9',
    name: 'MACD',
    params: { fast: 12, slow: 26, signal: 9 },
    outputs: { macd: 'macd', signal: 'signal', hist: 'hist' },
  },
  {
    key: 'BBANDS_20_2',
    name: 'BBANDS',
    params: { period: 20, nbDevUp: 2, nbDevDn: 2 },
    outputs: { upper: 'upper', middle: 'middle', lower: 'lower' },
  },
  { key: 'ATR_14', name: 'ATR', params: { period: 14 }, outputs: { value: 'value' } },
  {
    key: 'STOCH_14_3_3',
    name: 'STOCH',
    params: { fastK: 14, slowK: 3, slowD: 3 },
    outputs: { slowK: 'slowK', slowD: 'slowD' },
  },
  { key: 'ADX_14', name: 'ADX', params: { period: 14 }, outputs: { adx: 'value' } },
  { key: 'OBV', name: 'OBV', outputs: { value: 'value' } },
  { key: 'CCI_20', name: 'CCI', params: { period: 20 }, outputs: { value: 'value' } },
  { key: 'WILLR_14', name: 'WILLR', params: { period: 14 }, outputs: { value: 'value' } },
  { key: 'MFI_14', name: 'MFI', params: { period: 14 }, outputs: { value: 'value' } },
  { key: 'ROC_10', name: 'ROC', params: { period: 10 }, outputs: { value: 'value' } },
  { key: 'VWAP', name: 'VWAP', outputs: { value: 'value' } },
];

/** The keys `computeSeries` produces, in output order. */
export const STANDARD_KEYS: readonly string[] = STANDARD_SET.map((s) => s.key);

function toNullable(values: Float64Array): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number.isFinite(values[i]) ? values[i]! : null;
  return out;
}

/** Computes the standard indicator set over one instrument's columns; throws SIGNALS_INVALID_PARAMETER if lengths differ. */
export function computeSeriesIndicators(columns: SeriesColumns): SeriesIndicators {
  const n = columns.time.length;
  for (const field of ['open', 'high', 'low', 'close', 'volume'] as const)
    if (columns[field].length !== n)
      throw new DomainError(
        'SIGNALS_INVALID_PARAMETER',
        `column ${field} has ${columns[field].length} values but time has ${n}`,
        { name: field },
      );
  const input: IndicatorColumns = columns;
  const result: SeriesIndicators = {};
  for (const { key, name, params, outputs } of STANDARD_SET) {
    const computed = computeIndicator(name, input, params);
    const entry: Record<string, (number | null)[]> = {};
    for (const [from, to] of Object.entries(outputs)) entry[to] = toNullable(computed[from]!);
    result[key] = entry;
  }
  return result;
}

/** Computes the standard indicator set for every named series: `{ series: { NAME: { KEY: { OUTPUT: [...] } } } }`. */
export function computeSeries(input: { readonly series: Readonly<Record<string, SeriesColumns>> }): {
  series: Record<string, SeriesIndicators>;
} {
  // fromEntries defines own properties, so a series named "__proto__" stays data.
  return {
    series: Object.fromEntries(
      Object.entries(input.series).map(([name, columns]) => [name, computeSeriesIndicators(columns)]),
    ),
  };
}
