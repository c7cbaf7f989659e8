import {
  bucketStart,
  isExtendedBucket,
  isIntraday,
  parseTimeframe,
  type Timeframe,
} from '../../../../core/market-data/index.js';
import type { Candle } from './bar-series.js';

const ONE_MINUTE: Timeframe = { amount: 1, unit: 'Min' };

/**
 * The candles of one timeframe kept live from 1Min stream bars. `minutes` are the 1Min bars of the
 * last (forming) bucket: the last candle is always their roll-up, so a minute updated many times
 * (`u` then `b`) is counted once.
 */
export interface LiveSeries {
  readonly candles: readonly Candle[];
  readonly minutes: readonly Candle[];
}

/** Parses a timeframe the chart offers; throws on one it does not (a programming error). */
export function timeframeOf(text: string): Timeframe {
  const tf = parseTimeframe(text);
  if (tf === null) throw new Error(`unsupported timeframe ${text}`);
  return tf;
}

/** Start (epoch seconds) of the New York–aligned bucket of `tf` holding the minute starting at `time`. */
export function bucketOf(time: number, tf: Timeframe): number {
  return bucketStart(time * 1000, tf) / 1000;
}

/** True when a 1Min bar belongs in bars of `tf`: every minute intraday, regular-session minutes only for days. */
export function countsTowards(time: number, tf: Timeframe): boolean {
  return isIntraday(tf) || !isExtendedBucket(time * 1000, ONE_MINUTE);
}

/** Rolls ascending 1Min bars of one bucket up into the bucket's candle. */
export function rollupMinutes(minutes: readonly Candle[], bucket: number): Candle {
  const first = minutes[0];
  const last = minutes.at(-1);
  if (first === undefined || last === undefined) throw new Error('rollupMinutes needs at least one bar');
  let high = first.high;
  let low = first.low;
  let volume = 0;
  for (const m of minutes) {
    high = Math.max(high, m.high);
    low = Math.min(low, m.low);
    volume += m.volume;
  }
  return { time: bucket, open: first.open, high, low, close: last.close, volume, closed: false };
}

/**
 * Starts a live series from REST history of `tf` and the 1Min bars since the last candle's bucket
 * began. Without those minutes the last candle stands in for them, so the first stream bar builds
 * on it rather than replacing it.
 */
export function seedSeries(
  candles: readonly Candle[],
  minutes: readonly Candle[],
  tf: Timeframe,
): LiveSeries {
  const last = candles.at(-1);
  if (last === undefined) return { candles, minutes: [] };
  const own = minutes
    .filter((m) => bucketOf(m.time, tf) === last.time && countsTowards(m.time, tf))
    .sort((a, b) => a.time - b.time);
  if (own.length === 0) return { candles, minutes: [{ ...last, time: last.time }] };
  return { candles: [...candles.slice(0, -1), rollupMinutes(own, last.time)], minutes: own };
}

function upsertMinute(minutes: readonly Candle[], bar: Candle): readonly Candle[] | null {
  const index = minutes.findIndex((m) => m.time === bar.time);
  if (index >= 0) {
    const held = minutes[index];
    // A late `u` never reopens a minute whose closed bar (`b`) has arrived.
    if (held === undefined || (held.closed && !bar.closed)) return null;
    const copy = minutes.slice();
    copy[index] = bar;
    return copy;
  }
  return [...minutes, bar].sort((a, b) => a.time - b.time);
}

/**
 * Applies one 1Min stream bar (`u` forming, `b` closed) to a series of `tf`: it updates the forming
 * bucket, or starts the next one. Bars for older buckets only correct a 1Min candle of the same
 * minute and never insert (a backfill fills gaps). Returns the same series when nothing changed.
 */
export function applyMinute(series: LiveSeries, bar: Candle, tf: Timeframe): LiveSeries {
  if (!Number.isFinite(bar.time) || !countsTowards(bar.time, tf)) return series;
  const bucket = bucketOf(bar.time, tf);
  const { candles } = series;
  const last = candles.at(-1);
  if (last === undefined || bucket > last.time) {
    return { candles: [...candles, rollupMinutes([bar], bucket)], minutes: [bar] };
  }
  if (bucket === last.time) {
    const minutes = upsertMinute(series.minutes, bar);
    if (minutes === null) return series;
    return { candles: [...candles.slice(0, -1), rollupMinutes(minutes, bucket)], minutes };
  }
  if (tf.unit !== 'Min' || tf.amount !== 1 || !bar.closed) return series;
  const index = candles.findIndex((c) => c.time === bucket);
  if (index < 0) return series;
  const copy = candles.slice();
  copy[index] = bar;
  return { candles: copy, minutes: series.minutes };
}
