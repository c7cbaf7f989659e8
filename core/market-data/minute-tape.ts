import type { IntradayPath } from './intraday-path.js';
import type { Instrument } from './instruments.js';
import { SplitMix32, gaussian, mix } from './rng.js';

// Local copy: a module-namespace read in the hot loop costs more than a constant under some loaders.
const MINUTE_MS = 60_000;

/** How often the simulated NBBO may change: quotes are constant within each 250 ms slot. */
export const QUOTE_MS = 250;
/** Most trades one symbol prints in one minute; trade ids are minute × 1000 + sequence. */
export const MAX_TRADES_PER_MINUTE = 999;

/** Per-symbol constants of the simulated tape. */
export type TapeParams = {
  inst: Instrument;
  seed: number;
  key: number;
  /** Regular-session spread in basis points of price (at least one cent). */
  spreadBps: number;
  /** Average trades per regular-session minute. */
  ratePerMinute: number;
  /** Average trade size in round lots. */
  meanLots: number;
  venues: readonly string[];
  tape: string;
};

/** Trades of one minute, packed four numbers per trade: time (ms), price (cents), size, venue index. */
export type MinuteTrades = { n: number; data: Float64Array; firstId: number; extended: boolean };

/** Mid prices in cents at the minute's quarter points: endpoints from the path, inner points bridged with noise in log space. */
export function quarterKnots(p: TapeParams, path: IntradayPath, k: number): number[] {
  const a = path.knots[k] ?? 0;
  const b = path.knots[k + 1] ?? a;
  const sd = (path.minuteVol[k] ?? 0) * 0.5;
  const minute = Math.floor((path.session.preOpen + k * MINUTE_MS) / MINUTE_MS);
  const q = [a, 0, 0, 0, b];
  for (let j = 1; j < 4; j++)
    q[j] = a + ((b - a) * j) / 4 + sd * Math.sqrt((j * (4 - j)) / 4) * gaussian(p.seed, p.key, minute, j);
  return q.map((x) => Math.max(1, Math.exp(x) * 100));
}

/** Mid price in cents at `offset` ms into the minute, interpolated between quarter knots. */
export function midAt(q: readonly number[], offset: number): number {
  const x = offset / 15_000;
  const j = Math.min(3, Math.floor(x));
  const a = q[j] ?? 0;
  return a + ((q[j + 1] ?? a) - a) * (x - j);
}

/** Spread in cents at a mid price in cents: at least one cent, wider in extended hours. */
export function spreadCents(p: TapeParams, midCents: number, extended: boolean): number {
  const base = Math.max(1, Math.round((midCents * p.spreadBps) / 10_000));
  return extended ? base * 3 + 1 : base;
}

/** Bid in cents for a mid price in cents (never below one cent). */
export function bidCents(p: TapeParams, midCents: number, extended: boolean): number {
  return Math.max(1, Math.round(midCents - spreadCents(p, midCents, extended) / 2));
}

/** Generates every trade of minute `k` (none while halted), sorted by time; writes into `scratch` when given (reused by the caller). */
export function minuteTrades(
  p: TapeParams,
  path: IntradayPath,
  k: number,
  scratch?: Float64Array,
): MinuteTrades {
  const s = path.session;
  const start = s.preOpen + k * MINUTE_MS;
  const extended = start < s.open || start >= s.close;
  const minute = Math.floor(start / MINUTE_MS);
  const rng = new SplitMix32(mix(p.seed, p.key, minute, 11));
  const halted = start >= path.haltFrom && start < path.haltTo;
  const lambda = path.rate[k] ?? 0;
  const n = halted
    ? 0
    : Math.min(MAX_TRADES_PER_MINUTE, Math.floor(lambda * (0.5 + rng.next()) + rng.next()));
  const data = scratch && scratch.length >= 4 * n ? scratch : new Float64Array(4 * n);
  const out: MinuteTrades = { n, data, firstId: minute * 1000 + 1, extended };
  if (n === 0) return out;
  const q = quarterKnots(p, path, k);
  const stratum = MINUTE_MS / n;
  const oddLotShare = extended ? 0.4 : 0.12;
  const lotScale = 3 * Math.max(0, p.meanLots - 1);
  const venues = p.venues.length;
  let slot = -1;
  let bid = 0;
  let ask = 0;
  for (let j = 0; j < n; j++) {
    // One arrival per equal slice of the minute, jittered inside it: sorted by construction, no sort needed.
    const offset = Math.floor((j + rng.next()) * stratum);
    const thisSlot = Math.floor(offset / QUOTE_MS);
    if (thisSlot !== slot) {
      slot = thisSlot;
      const mid = midAt(q, slot * QUOTE_MS);
      bid = bidCents(p, mid, extended);
      ask = bid + spreadCents(p, mid, extended);
    }
    const r = rng.next();
    const spread = ask - bid;
    const u = rng.next();
    const i = 4 * j;
    data[i] = start + offset;
    data[i + 1] =
      r < 0.45 ? bid : r < 0.9 || spread < 2 ? ask : bid + 1 + Math.floor(rng.next() * (spread - 1));
    // One draw picks odd lot vs round lot and, rescaled, the size within that kind (skewed toward small lots).
    const v = (u - oddLotShare) / (1 - oddLotShare);
    data[i + 2] =
      u < oddLotShare ? 1 + Math.floor((u / oddLotShare) * 99) : 100 * (1 + Math.floor(lotScale * v * v));
    data[i + 3] = Math.floor(rng.next() * venues);
  }
  return out;
}
