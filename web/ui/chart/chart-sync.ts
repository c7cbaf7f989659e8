/** How to bring a chart showing `prev` up to `next`. */
export type ChartSync =
  | { kind: 'none' }
  | { kind: 'reset' }
  | { kind: 'update'; from: number }
  /** `count` older candles came in front (the tail may have moved too): set all, keep the view. */
  | { kind: 'prepend'; count: number };

/**
 * Plans the cheapest chart change: nothing, `update` of the candles from index `from` on (the tail
 * moved or grew by one), `prepend` of older candles, or a full `reset`. Relies on unchanged candles keeping their identity.
 */
export function planChartSync<T>(prev: readonly T[], next: readonly T[]): ChartSync {
  if (prev === next) return { kind: 'none' };
  if (prev.length === 0 || next.length === 0) return { kind: 'reset' };
  const grown = next.length - prev.length;
  if (prev[0] !== next[0] && grown > 0) {
    const count = next.indexOf(prev[0] as T);
    const kept = prev.length >= 2 ? next[count + prev.length - 2] === prev[prev.length - 2] : true;
    return count > 0 && kept ? { kind: 'prepend', count } : { kind: 'reset' };
  }
  if (grown < 0 || grown > 1 || prev[0] !== next[0]) return { kind: 'reset' };
  // Everything before the previous last candle must be untouched.
  const lastPrev = prev.length - 1;
  if (lastPrev >= 1 && prev[lastPrev - 1] !== next[lastPrev - 1]) return { kind: 'reset' };
  const from = prev[lastPrev] === next[lastPrev] ? prev.length : lastPrev;
  return from >= next.length ? { kind: 'none' } : { kind: 'update', from };
}
