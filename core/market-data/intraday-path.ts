import { MINUTE_MS } from '../kernel/index.js';
import type { SessionDay } from './calendar.js';
import type { DailyPath } from './daily-path.js';
import { SplitMix32, mix, uniform } from './rng.js';

/** One session's minute-by-minute log-price path and trade intensity for one symbol. */
export type IntradayPath = {
  session: SessionDay;
  /** Log mid price at each minute boundary from `session.preOpen`; length = minutes + 1. */
  knots: Float64Array;
  /** Standard deviation of the log price over each minute. */
  minuteVol: Float64Array;
  /** Expected number of trades in each minute. */
  rate: Float64Array;
  /** Trading halt [from, to) in UTC ms, or NaN when the symbol trades all day. */
  haltFrom: number;
  haltTo: number;
};

/** A halt window for (symbol, session): on about 1.5% of days, 5–15 minutes inside regular hours. */
export function haltWindow(
  seed: number,
  key: number,
  index: number,
  s: SessionDay,
): readonly [number, number] {
  if (uniform(seed, key, index, 21) >= 0.015) return [Number.NaN, Number.NaN];
  const regular = (s.close - s.open) / MINUTE_MS;
  const from = s.open + (30 + Math.floor(uniform(seed, key, index, 22) * (regular - 80))) * MINUTE_MS;
  return [from, from + (5 + Math.floor(uniform(seed, key, index, 23) * 11)) * MINUTE_MS];
}

/** Writes a Brownian bridge from `from` to `to` into knots[start..start+weights.length], step variances ∝ weights. */
function bridge(
  knots: Float64Array,
  vols: Float64Array,
  start: number,
  weights: number[],
  from: number,
  to: number,
  variance: number,
  rng: SplitMix32,
): void {
  const total = weights.reduce((a, b) => a + b, 0);
  const walk = [0];
  const time = [0];
  for (const w of weights) {
    const stepVar = (w / total) * variance;
    vols[start + walk.length - 1] = Math.sqrt(stepVar);
    walk.push((walk[walk.length - 1] ?? 0) + Math.sqrt(stepVar) * rng.gaussian());
    time.push((time[time.length - 1] ?? 0) + w / total);
  }
  const end = walk[walk.length - 1] ?? 0;
  for (let k = 0; k < walk.length; k++) {
    const s = time[k] ?? 0;
    knots[start + k] = from + (to - from) * s + (walk[k] ?? 0) - s * end;
  }
}

/** Builds the intraday path: pre-market bridge to the open, U-shaped regular-session bridge to the close, after-hours drift. */
export function buildIntradayPath(
  seed: number,
  key: number,
  index: number,
  s: SessionDay,
  daily: DailyPath,
  ratePerMinute: number,
): IntradayPath {
  const pre = (s.open - s.preOpen) / MINUTE_MS;
  const regular = (s.close - s.open) / MINUTE_MS;
  const post = (s.postClose - s.close) / MINUTE_MS;
  const total = pre + regular + post;
  const knots = new Float64Array(total + 1);
  const minuteVol = new Float64Array(total);
  const rate = new Float64Array(total);
  const rng = new SplitMix32(mix(seed, key, index, 7));
  const open = daily.open[index] ?? 0;
  const close = daily.close[index] ?? open;
  const prevTarget = index > 0 ? (daily.postTarget[index - 1] ?? open) : open;
  const dayVar = (daily.dailyVol[index] ?? 0.01) ** 2;
  bridge(knots, minuteVol, 0, new Array<number>(pre).fill(1), prevTarget, open, 0.08 * dayVar, rng);
  // Volatility and volume are U-shaped: heavy after the open, quiet at midday, rising into the close.
  const shape = (k: number): number =>
    0.6 + 2.2 * Math.exp(-k / 12) + 1.4 * Math.exp(-(regular - 1 - k) / 12);
  const regularWeights = Array.from({ length: regular }, (_, k) => shape(k));
  bridge(knots, minuteVol, pre, regularWeights, open, close, 0.6 * dayVar, rng);
  bridge(
    knots,
    minuteVol,
    pre + regular,
    new Array<number>(post).fill(1),
    close,
    daily.postTarget[index] ?? close,
    0.08 * dayVar,
    rng,
  );
  const meanShape = regularWeights.reduce((a, b) => a + b, 0) / regular;
  for (let k = 0; k < total; k++) {
    const minute = s.preOpen + k * MINUTE_MS;
    let r: number;
    if (k < pre) r = minute >= s.open - 90 * MINUTE_MS ? 0.05 : 0.015;
    else if (k < pre + regular) r = (regularWeights[k - pre] ?? 1) / meanShape;
    else r = minute < s.close + 30 * MINUTE_MS ? 0.12 : 0.025;
    rate[k] = Math.max(0.05, r * ratePerMinute);
  }
  const [haltFrom, haltTo] = haltWindow(seed, key, index, s);
  return { session: s, knots, minuteVol, rate, haltFrom, haltTo };
}
