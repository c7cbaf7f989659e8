import { sessionOnDay, type SessionDay } from './calendar.js';
import type { Instrument } from './instruments.js';
import { dayNumber } from './ny-time.js';
import { gaussian, hashString, uniform } from './rng.js';

/** First date the simulator trades. */
export const SIM_FIRST_DATE = '2000-01-03';
/** Last date the simulator trades. */
export const SIM_LAST_DATE = '2030-12-31';
/** The session whose close equals each instrument's basePrice: the anchor of every daily path. */
export const REFERENCE_DATE = '2025-12-31';

const FIRST_DAY = dayNumber(SIM_FIRST_DATE);
const LAST_DAY = dayNumber(SIM_LAST_DATE);
const TRADING_YEAR = 252;
const MARKET_VOL = 0.16 / Math.sqrt(TRADING_YEAR);
const SECTOR_VOL = 0.12 / Math.sqrt(TRADING_YEAR);
const GARCH_ALPHA = 0.08;
const GARCH_BETA = 0.9;
const DRIFT = 0.07 / TRADING_YEAR;
// Pull of log price back toward its trend: a half-life of about two years keeps recent prices near basePrice.
const REVERSION = Math.LN2 / 500;
const JUMP_PROBABILITY = 4 / TRADING_YEAR;

let sessions: SessionDay[] | undefined;
let indexByDay: Int32Array | undefined;

/** Every trading session the simulator covers, in order. */
export function simSessions(): readonly SessionDay[] {
  if (!sessions) {
    sessions = [];
    indexByDay = new Int32Array(LAST_DAY - FIRST_DAY + 1).fill(-1);
    for (let d = FIRST_DAY; d <= LAST_DAY; d++) {
      const s = sessionOnDay(d);
      if (s) {
        indexByDay[d - FIRST_DAY] = sessions.length;
        sessions.push(s);
      }
    }
  }
  return sessions;
}

/** Index into `simSessions()` of day number `day`, or -1 when it is not a simulated trading day. */
export function simSessionIndex(day: number): number {
  simSessions();
  if (!indexByDay || day < FIRST_DAY || day > LAST_DAY) return -1;
  return indexByDay[day - FIRST_DAY] ?? -1;
}

/** Market-wide daily factor: GARCH(1,1) returns and the volatility multiplier (1 = normal) of each session. */
export type MarketFactor = { returns: Float64Array; volScale: Float64Array };

/** The market factor for a seed. */
export function buildMarketFactor(seedHash: number): MarketFactor {
  const n = simSessions().length;
  const returns = new Float64Array(n);
  const volScale = new Float64Array(n);
  const target = MARKET_VOL * MARKET_VOL;
  const omega = target * (1 - GARCH_ALPHA - GARCH_BETA);
  let h = target;
  for (let i = 0; i < n; i++) {
    volScale[i] = Math.sqrt(h / target);
    const eps = Math.sqrt(h) * gaussian(seedHash, 0x6d61726b, i);
    returns[i] = eps;
    h = omega + GARCH_ALPHA * eps * eps + GARCH_BETA * h;
  }
  return { returns, volScale };
}

/** The sector factor's daily returns for a seed, scaled by the market's volatility regime. */
export function buildSectorFactor(seedHash: number, sector: string, market: MarketFactor): Float64Array {
  const key = hashString(`sector:${sector}`);
  return market.returns.map((_, i) => SECTOR_VOL * (market.volScale[i] ?? 1) * gaussian(seedHash, key, i));
}

/** Log prices of each session's open and close, and the after-hours target halfway to the next open. */
export type DailyPath = {
  open: Float64Array;
  close: Float64Array;
  postTarget: Float64Array;
  dailyVol: Float64Array;
};

/** The daily path of one instrument: beta × market + sector + idiosyncratic noise with jumps and overnight gaps. */
export function buildDailyPath(
  seedHash: number,
  inst: Instrument,
  market: MarketFactor,
  sector: Float64Array,
): DailyPath {
  const n = market.returns.length;
  const key = hashString(`symbol:${inst.symbol}`);
  const vol = inst.volatility / Math.sqrt(TRADING_YEAR);
  const systematicVar = inst.beta * inst.beta * MARKET_VOL * MARKET_VOL + SECTOR_VOL * SECTOR_VOL;
  const idioVol = Math.sqrt(Math.max(vol * vol - systematicVar, (0.3 * vol) ** 2));
  const open = new Float64Array(n);
  const close = new Float64Array(n);
  const dailyVol = new Float64Array(n);
  const refIndex = simSessionIndex(dayNumber(REFERENCE_DATE));
  let dev = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const scale = market.volScale[i] ?? 1;
    const systematic = inst.beta * (market.returns[i] ?? 0) + (sector[i] ?? 0);
    const idio = idioVol * scale * gaussian(seedHash, key, i, 1);
    const jump =
      uniform(seedHash, key, i, 2) < JUMP_PROBABILITY ? 3 * vol * gaussian(seedHash, key, i, 3) : 0;
    const gapNoise = 0.4 * idioVol * scale * gaussian(seedHash, key, i, 4);
    const trend = DRIFT * (i - refIndex);
    const level = i === 0 ? 0 : dev * (1 - REVERSION) + systematic + idio + jump;
    // The overnight gap carries part of the systematic move, the news jump and some noise of its own.
    const gap = i === 0 ? 0 : 0.3 * systematic + jump + gapNoise;
    open[i] = (i === 0 ? 0 : prev) + gap + DRIFT / 2;
    dev = level;
    close[i] = trend + dev;
    if (i === 0) open[i] = close[i] ?? 0;
    prev = close[i] ?? 0;
    dailyVol[i] = vol * scale;
  }
  const shift = Math.log(inst.basePrice) - (close[refIndex] ?? 0);
  const postTarget = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    open[i] = (open[i] ?? 0) + shift;
    close[i] = (close[i] ?? 0) + shift;
  }
  for (let i = 0; i < n; i++) {
    const c = close[i] ?? 0;
    postTarget[i] = i + 1 < n ? c + 0.5 * ((open[i + 1] ?? c) - c) : c;
  }
  return { open, close, postTarget, dailyVol };
}
