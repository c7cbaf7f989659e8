import type { Column, HlcvBar } from './types.js';

/** Runs a single-input, single-output streaming indicator over a column; NaN during warm-up. */
export function runColumn(indicator: { next(x: number): number }, values: Column): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = indicator.next(values[i]!);
  return out;
}

/** A reusable bar view over columns, so batch loops feed bar-based indicators without allocating per bar. */
export class ColumnBar {
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  constructor(
    private readonly h: Column,
    private readonly l: Column,
    private readonly c: Column,
    private readonly v?: Column,
  ) {}

  /** Points the view at bar `i` and returns it. */
  at(i: number): this {
    this.high = this.h[i]!;
    this.low = this.l[i]!;
    this.close = this.c[i]!;
    if (this.v) this.volume = this.v[i]!;
    return this;
  }
}

/** Runs a bar-input, single-output indicator over HLC(V) columns; NaN during warm-up. */
export function runBars(indicator: { next(bar: HlcvBar): number }, bars: ColumnBar, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = indicator.next(bars.at(i));
  return out;
}

/** The column as a Float64Array (itself when it already is one), so batch kernels see one element kind. */
export function float64(values: Column): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}
