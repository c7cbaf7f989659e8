import type { WireBar } from '../../../contracts/market.js';
import type { StreamBar } from '../../../contracts/stream.js';

/** A candle as the dashboard keeps it: epoch seconds, prices, and whether the minute has closed. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closed: boolean;
}

/** Most candles kept in memory; older ones drop off the left edge. */
export const MAX_CANDLES = 2_000;

function toSeconds(rfc3339: string): number {
  return Math.floor(Date.parse(rfc3339) / 1000);
}

/**
 * Converts REST history to ascending candles. The last one is left open: it may be the minute still
 * forming, and a later `u`/`b` for it must be able to update it.
 */
export function candlesFromHistory(bars: readonly WireBar[]): Candle[] {
  const candles = bars
    .map((bar) => ({
      time: toSeconds(bar.t),
      open: bar.o,
      high: bar.h,
      low: bar.l,
      close: bar.c,
      volume: bar.v,
      closed: true,
    }))
    .filter((candle) => Number.isFinite(candle.time))
    .sort((a, b) => a.time - b.time);
  const last = candles.at(-1);
  if (last !== undefined) last.closed = false;
  return candles;
}

/**
 * Applies one stream bar: `u` (the forming bar so far) updates or appends the candle of its
 * minute, `b` (the closed bar) finalises it. A `u` never reopens a closed minute, and messages for
 * minutes before the last candle only touch a candle of the same minute, never insert. Returns the
 * same array when nothing changed, so React can skip a render.
 */
export function applyStreamBar(candles: readonly Candle[], message: StreamBar): readonly Candle[] {
  const time = toSeconds(message.t);
  if (!Number.isFinite(time)) return candles;
  const closed = message.T === 'b';
  const next: Candle = {
    time,
    open: message.o,
    high: message.h,
    low: message.l,
    close: message.c,
    volume: message.v,
    closed,
  };
  const last = candles.at(-1);
  if (last === undefined || time > last.time) {
    const appended = [...candles, next];
    return appended.length > MAX_CANDLES ? appended.slice(-MAX_CANDLES) : appended;
  }
  const index = time === last.time ? candles.length - 1 : candles.findIndex((c) => c.time === time);
  const existing = index >= 0 ? candles[index] : undefined;
  if (existing === undefined) return candles;
  if (existing.closed && !closed) return candles;
  const copy = candles.slice();
  copy[index] = next;
  return copy;
}

/**
 * Lays fresh history under live candles: history wins for closed minutes it has, live candles win
 * from the history's last minute on (the REST answer may predate the latest stream update).
 */
export function mergeHistory(history: readonly Candle[], live: readonly Candle[]): readonly Candle[] {
  const lastHistory = history.at(-1);
  if (lastHistory === undefined) return live;
  const newer = live.filter(
    (c) => c.time > lastHistory.time || (c.time === lastHistory.time && (c.closed || !lastHistory.closed)),
  );
  const first = newer[0];
  const base = first !== undefined && first.time === lastHistory.time ? history.slice(0, -1) : history;
  const merged = [...base, ...newer];
  return merged.length > MAX_CANDLES ? merged.slice(-MAX_CANDLES) : merged;
}
