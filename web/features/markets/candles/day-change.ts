import type { Candle } from './bar-series.js';
import { exchangeDay } from '../format.js';

/** The last price and its move since the first loaded candle of the same exchange day. */
export interface DayChange {
  last: Candle;
  since: Candle;
  change: number;
}

/** Computes {@link DayChange}, or null with no candles. */
export function dayChange(candles: readonly Candle[]): DayChange | null {
  const last = candles.at(-1);
  if (last === undefined) return null;
  const day = exchangeDay(last.time);
  let since = last;
  for (let i = candles.length - 1; i >= 0; i -= 1) {
    const candle = candles[i];
    if (candle === undefined || exchangeDay(candle.time) !== day) break;
    since = candle;
  }
  return { last, since, change: last.close - since.open };
}
