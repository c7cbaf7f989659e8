/** Simple returns between consecutive values: r[i] = v[i+1] / v[i] - 1 (length n - 1; 0 where v[i] is 0). */
export function periodReturns(values: ArrayLike<number>): Float64Array {
  const n = Math.max(0, values.length - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const from = values[i]!;
    out[i] = from === 0 ? 0 : values[i + 1]! / from - 1;
  }
  return out;
}

/** The fractional change from `first` to `last` (0.25 = +25 %); 0 when `first` is 0. */
export function totalReturn(first: number, last: number): number {
  return first === 0 ? 0 : last / first - 1;
}

/** Compound annual growth rate over `years`; null when the span is not positive or the value went to or below 0. */
export function cagr(first: number, last: number, years: number): number | null {
  if (!(years > 0) || first <= 0) return null;
  if (last <= 0) return -1;
  return (last / first) ** (1 / years) - 1;
}

/**
 * Time-weighted return of a valuation series with external cash flows: `flows[i]` is added to the account
 * just before `values[i]` is measured, so deposits and withdrawals do not count as performance.
 */
export function timeWeightedReturn(values: ArrayLike<number>, flows?: ArrayLike<number>): number {
  let growth = 1;
  for (let i = 1; i < values.length; i++) {
    const start = values[i - 1]!;
    if (start === 0) continue;
    growth *= (values[i]! - (flows?.[i] ?? 0)) / start;
  }
  return growth - 1;
}

/**
 * Indices of the last point of each period, in order: `periodOf(t)` names the period of a time (e.g. the
 * exchange day); a new period starts whenever the name changes. Sample any series aligned with `times` by them.
 */
export function periodEnds(times: ArrayLike<number>, periodOf: (t: number) => number): Int32Array {
  const out = new Int32Array(times.length);
  let k = -1;
  let current = Number.NaN;
  for (let i = 0; i < times.length; i++) {
    const p = periodOf(times[i]!);
    if (p !== current) {
      k++;
      current = p;
    }
    out[k] = i;
  }
  return out.slice(0, k + 1);
}
