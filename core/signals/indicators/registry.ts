import { DomainError } from '../../kernel/index.js';
import { definitions } from './definitions.js';
import { type Column, type OhlcvBar, orNull } from './types.js';

/** A bar field an indicator reads. */
export type IndicatorInput = 'open' | 'high' | 'low' | 'close' | 'volume';

/** One numeric parameter: its default and allowed range. */
export type ParamSpec = {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
};

/** Resolved parameter values by name. */
export type IndicatorParams = Readonly<Record<string, number>>;

/** What the registry tells about an indicator: its parameters, the bar fields it reads and its named outputs. */
export interface IndicatorSpec {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /** Bar fields read; single-value indicators read `close` unless created with another `source`. */
  readonly inputs: readonly IndicatorInput[];
  readonly outputs: readonly string[];
  /** Bars before every output is non-null (TA-Lib's lookback) for these parameters. */
  lookback(params?: Readonly<Record<string, number | undefined>>): number;
}

/** A streaming indicator instance: O(1) per bar, no allocation per bar. */
export interface IndicatorInstance {
  readonly name: string;
  readonly params: IndicatorParams;
  readonly outputs: readonly string[];
  /** Bars before every output is non-null; some outputs (ADX's ±DI, Ichimoku's tenkan/kijun) start earlier. */
  readonly lookback: number;
  /** Latest value of each output by name, null during its warm-up; one live read-only view, current after each `update`. */
  readonly value: Readonly<Record<string, number | null>>;
  /** Feeds the next closed bar (time order) and returns `value`. */
  update(bar: OhlcvBar): Readonly<Record<string, number | null>>;
}

/** Options of `createIndicator` and `computeIndicator`. */
export type IndicatorOptions = {
  /** The bar field a single-value indicator (SMA, RSI, MACD, MAX…) reads; default `close`. */
  readonly source?: IndicatorInput;
};

/** Input columns for batch computation; `session` (optional) holds each bar's session key for VWAP. */
export type IndicatorColumns = Partial<Record<IndicatorInput, Column>> & {
  readonly session?: ArrayLike<string | number>;
};

/** Every indicator the registry knows, in a stable order. */
export const indicatorSpecs: readonly IndicatorSpec[] = definitions.map((d) => ({
  name: d.name,
  summary: d.summary,
  params: d.params,
  inputs: d.inputs,
  outputs: d.outputs,
  lookback: (params) => d.lookback(resolveParams(d, params)),
}));

const byName = new Map(definitions.map((d) => [d.name, d]));

function definitionOf(name: string): (typeof definitions)[number] {
  const d = byName.get(name.toUpperCase());
  if (!d)
    throw new DomainError(
      'SIGNALS_UNKNOWN_INDICATOR',
      `unknown indicator ${name}; known: ${[...byName.keys()].join(', ')}`,
      { name },
    );
  return d;
}

/** The spec of the indicator called `name` (case-insensitive), or undefined. */
export function indicatorSpec(name: string): IndicatorSpec | undefined {
  return indicatorSpecs.find((s) => s.name === name.toUpperCase());
}

/** Merges `params` over the defaults; throws SIGNALS_INVALID_PARAMETER for an unknown name or out-of-range value. */
function resolveParams(
  d: { name: string; params: readonly ParamSpec[] },
  params: Readonly<Record<string, number | undefined>> = {},
): IndicatorParams {
  const out: Record<string, number> = {};
  for (const key of Object.keys(params))
    if (!d.params.some((p) => p.name === key))
      throw new DomainError('SIGNALS_INVALID_PARAMETER', `${d.name} has no parameter ${key}`, { name: key });
  for (const p of d.params) {
    const v = params[p.name] ?? p.default;
    if (!Number.isFinite(v) || v < p.min || v > p.max || (p.integer && !Number.isInteger(v)))
      throw new DomainError(
        'SIGNALS_INVALID_PARAMETER',
        `${d.name} ${p.name} must be ${p.integer ? 'an integer' : 'a number'} from ${p.min} to ${p.max}, got ${v}`,
        { name: p.name, value: v },
      );
    out[p.name] = v;
  }
  return out;
}

/** Creates a streaming instance of the indicator `name` (case-insensitive) with `params` over the defaults. */
export function createIndicator(
  name: string,
  params?: Readonly<Record<string, number | undefined>>,
  options: IndicatorOptions = {},
): IndicatorInstance {
  const d = definitionOf(name);
  const p = resolveParams(d, params);
  const stream = d.stream(p, options.source ?? 'close');
  // Outputs are getters over the stream's own fields, so `update` stores nothing and allocates nothing per bar.
  const value: Record<string, number | null> = {};
  for (const o of d.outputs) {
    const read = stream.read[o]!;
    Object.defineProperty(value, o, { enumerable: true, get: () => orNull(read()) });
  }
  Object.freeze(value);
  return {
    name: d.name,
    params: p,
    outputs: d.outputs,
    lookback: stream.lookback,
    value,
    update(bar) {
      stream.feed(bar);
      return value;
    },
  };
}

/** Computes the indicator over whole columns: one Float64Array per output, NaN during warm-up. */
export function computeIndicator(
  name: string,
  columns: IndicatorColumns,
  params?: Readonly<Record<string, number | undefined>>,
  options: IndicatorOptions = {},
): Record<string, Float64Array> {
  const d = definitionOf(name);
  const p = resolveParams(d, params);
  const source = options.source ?? 'close';
  const needed = d.valueInput ? [source] : d.inputs;
  let length = -1;
  for (const field of needed) {
    const column = columns[field];
    if (!column)
      throw new DomainError('SIGNALS_INVALID_PARAMETER', `${d.name} needs the ${field} column`, {
        name: field,
      });
    if (length >= 0 && column.length !== length)
      throw new DomainError(
        'SIGNALS_INVALID_PARAMETER',
        `input columns differ in length (${field}: ${column.length} vs ${length})`,
      );
    length = column.length;
  }
  return d.batch(columns as Required<IndicatorColumns>, p, source);
}
