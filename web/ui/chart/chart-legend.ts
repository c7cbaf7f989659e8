/** What the legend needs of a candle. */
export interface LegendCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The legend's figures: O/H/L/C/V of one bar and its change from the previous close (or its open). */
export interface Legend {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  change: number;
  changeFraction: number;
}

/** Index of the candle at `time` (epoch seconds), or -1; `candles` ascending. */
export function indexAt(candles: readonly LegendCandle[], time: number): number {
  let lo = 0;
  let hi = candles.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = candles[mid]?.time ?? 0;
    if (t === time) return mid;
    if (t < time) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The legend of the hovered bar (`hovered` time), or of the last bar when not hovering; null with no bars. */
export function legendFor(candles: readonly LegendCandle[], hovered: number | null): Legend | null {
  const index = hovered === null ? candles.length - 1 : indexAt(candles, hovered);
  const bar = candles[index < 0 ? candles.length - 1 : index];
  if (bar === undefined) return null;
  const previous = candles[(index < 0 ? candles.length - 1 : index) - 1];
  const base = previous?.close ?? bar.open;
  const change = bar.close - base;
  return { ...bar, change, changeFraction: base === 0 ? 0 : change / base };
}
