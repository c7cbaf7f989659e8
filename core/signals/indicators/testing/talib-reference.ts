/** The part of the `talib` package the tests use (its JS API is untyped). */
export type Talib = {
  execute(request: Record<string, unknown>): {
    begIndex: number;
    nbElement: number;
    result: Record<string, number[]>;
  };
};

/** Runs a TA-Lib function over `n` bars and returns each output aligned to the input, NaN before TA-Lib's begIndex. */
export function talibSeries(
  talib: Talib,
  n: number,
  request: Record<string, unknown>,
): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  if (n === 0) return out;
  const r = talib.execute({ startIdx: 0, endIdx: n - 1, ...request });
  for (const [name, values] of Object.entries(r.result)) {
    const aligned = new Float64Array(n).fill(NaN);
    for (let i = 0; i < r.nbElement; i++) aligned[r.begIndex + i] = values[i]!;
    out[name] = aligned;
  }
  return out;
}

/** The first output of a TA-Lib function (`outReal` for most), aligned as in `talibSeries`. */
export function talibOne(talib: Talib, n: number, request: Record<string, unknown>): Float64Array {
  const all = talibSeries(talib, n, request);
  return Object.values(all)[0] ?? new Float64Array(0);
}

/**
 * Compares two series value by value, warm-up positions included: NaN (or null) must meet NaN (or null), and
 * numbers must agree to |a − b| ≤ tol·max(1, |b|). Returns a description of the first mismatch, or null.
 */
export function firstMismatch(
  actual: ArrayLike<number | null>,
  expected: ArrayLike<number | null>,
  tol = 1e-9,
): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? NaN;
    const b = expected[i] ?? NaN;
    const aMissing = Number.isNaN(a);
    const bMissing = Number.isNaN(b);
    if (aMissing !== bMissing) return `at ${i}: got ${a}, expected ${b}`;
    if (!aMissing && !(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))))
      return `at ${i}: got ${a}, expected ${b}`;
  }
  return null;
}
