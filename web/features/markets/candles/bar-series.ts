import type { WireBar } from '../../../../contracts/market.js';

/** A candle as the dashboard keeps it: epoch seconds (bucket start), prices, volume, and whether it has closed. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closed: boolean;
}

/** RFC 3339 text as epoch seconds (NaN when it does not parse). */
export function toSeconds(rfc3339: string): number {
  return Math.floor(Date.parse(rfc3339) / 1000);
}

/** One wire bar as a candle. */
export function candleFromWire(bar: WireBar, closed: boolean): Candle {
  return {
    time: toSeconds(bar.t),
    open: bar.o,
    high: bar.h,
    low: bar.l,
    close: bar.c,
    volume: bar.v,
    closed,
  };
}

/**
 * Converts REST history to ascending candles. The last one is left open: it may be the bar still
 * forming, and a later stream update for it must be able to change it.
 */
export function candlesFromHistory(bars: readonly WireBar[]): Candle[] {
  const candles = bars
    .map((bar) => candleFromWire(bar, true))
    .filter((candle) => Number.isFinite(candle.time))
    .sort((a, b) => a.time - b.time);
  const last = candles.at(-1);
  if (last !== undefined) last.closed = false;
  return candles;
}

/**
 * Merges `incoming` bars into `candles` by bar time: a bar with the same time replaces the one held,
 * others slot in by time (older history is prepended, a backfill after a gap is appended). The
 * result is ascending with one candle per time; candles not replaced keep their identity, and the
 * same array comes back when nothing changed.
 */
export function mergeBars(candles: readonly Candle[], incoming: readonly Candle[]): readonly Candle[] {
  if (incoming.length === 0) return candles;
  const byTime = new Map<number, Candle>();
  for (const candle of candles) byTime.set(candle.time, candle);
  let changed = false;
  for (const candle of incoming) {
    if (!Number.isFinite(candle.time)) continue;
    const held = byTime.get(candle.time);
    if (held !== undefined && sameCandle(held, candle)) continue;
    byTime.set(candle.time, candle);
    changed = true;
  }
  if (!changed) return candles;
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

function sameCandle(a: Candle, b: Candle): boolean {
  return (
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume &&
    a.closed === b.closed
  );
}
