import { DAY_MS, MINUTE_MS } from '../../core/kernel/index.js';
import {
  type Bar,
  type MarketSimulator,
  type Quote,
  type Timeframe,
  type Trade,
  QUOTE_MS,
  SIM_FIRST_DATE,
  SIM_LAST_DATE,
  aggregateTrades,
  bucketStart,
  dateOfDay,
  exchangeDay,
  isIntraday,
  rollupBars,
  sessionOnDay,
} from '../../core/market-data/index.js';

const ONE_MIN: Timeframe = { amount: 1, unit: 'Min' };
const ONE_DAY: Timeframe = { amount: 1, unit: 'Day' };
const LOOKBACK_MS = 31 * DAY_MS;

/** Bars of the bucket holding `now`, built only from trades at or before `now`. */
function partialBar(
  sim: MarketSimulator,
  symbol: string,
  tf: Timeframe,
  start: number,
  now: number,
): Bar | null {
  const minute = bucketStart(now, ONE_MIN);
  const tail = aggregateTrades(sim.tradesBetween(symbol, minute, now + 1), ONE_MIN);
  if (isIntraday(tf)) {
    if (tf.unit === 'Min' && tf.amount === 1) return tail[0] ?? null;
    return rollupBars([...sim.bars(symbol, ONE_MIN, start, minute), ...tail], tf)[0] ?? null;
  }
  const today = bucketStart(now, ONE_DAY);
  const session = sessionOnDay(exchangeDay(now));
  let todayBar: Bar | undefined;
  if (session && now >= session.close) todayBar = sim.bars(symbol, ONE_DAY, today, today + 1)[0];
  else if (session && now >= session.open) {
    todayBar = rollupBars(
      [...sim.bars(symbol, ONE_MIN, session.open, minute), ...tail.filter((b) => !b.extended)],
      ONE_DAY,
    )[0];
  }
  if (tf.unit === 'Day') return todayBar ?? null;
  const earlier = sim.bars(symbol, ONE_DAY, start, today);
  return rollupBars(todayBar ? [...earlier, todayBar] : earlier, tf)[0] ?? null;
}

/** Bars of `tf` starting in [from, to), as known at `now`: the bucket holding `now` is partial, later ones absent. */
export function barsAsOf(
  sim: MarketSimulator,
  symbol: string,
  tf: Timeframe,
  from: number,
  to: number,
  now: number,
): Bar[] {
  const cut = Math.min(to, now + 1);
  if (!sim.has(symbol) || cut <= from) return [];
  const current = bucketStart(now, tf);
  const complete = sim.bars(symbol, tf, from, Math.min(cut, current));
  if (current < from || current >= cut) return complete;
  const partial = partialBar(sim, symbol, tf, current, now);
  return partial ? [...complete, partial] : complete;
}

/** Trades in [from, to) printed at or before `now`. */
export function tradesAsOf(
  sim: MarketSimulator,
  symbol: string,
  from: number,
  to: number,
  now: number,
): Trade[] {
  const cut = Math.min(to, now + 1);
  return sim.has(symbol) && cut > from ? sim.tradesBetween(symbol, from, cut) : [];
}

/** Every NBBO slot (one quote per 250 ms of the extended session) in [from, to), at or before `now`. */
export function quotesAsOf(
  sim: MarketSimulator,
  symbol: string,
  from: number,
  to: number,
  now: number,
): Quote[] {
  const cut = Math.min(to, now + 1);
  const out: Quote[] = [];
  if (!sim.has(symbol) || cut <= from) return out;
  for (let day = exchangeDay(from); day <= exchangeDay(cut - 1); day++) {
    const s = sessionOnDay(day);
    const date = dateOfDay(day);
    if (!s || date < SIM_FIRST_DATE || date > SIM_LAST_DATE) continue;
    const lo = Math.max(from, s.preOpen);
    const hi = Math.min(cut, s.postClose);
    for (let t = s.preOpen + Math.ceil((lo - s.preOpen) / QUOTE_MS) * QUOTE_MS; t < hi; t += QUOTE_MS)
      out.push(sim.quoteAt(symbol, t));
  }
  return out;
}

/** The last item `fetch` finds at or before `now`, searching back in growing windows for up to a month. */
function lastBefore<T>(now: number, fetch: (from: number, to: number) => T[]): T | null {
  let hi = now + 1;
  let span = MINUTE_MS;
  while (hi > now - LOOKBACK_MS) {
    const lo = Math.max(now - LOOKBACK_MS, hi - span);
    const found = fetch(lo, hi);
    if (found.length > 0) return found[found.length - 1] ?? null;
    hi = lo;
    span *= 4;
  }
  return null;
}

/** The latest trade at or before `now`, or null. */
export function latestTrade(sim: MarketSimulator, symbol: string, now: number): Trade | null {
  return sim.has(symbol) ? lastBefore(now, (from, to) => sim.tradesBetween(symbol, from, to)) : null;
}

/** The NBBO in force at `now` (after hours: the session's last), or null. */
export function latestQuote(sim: MarketSimulator, symbol: string, now: number): Quote | null {
  if (!sim.has(symbol)) return null;
  const date = dateOfDay(exchangeDay(now));
  return date > SIM_FIRST_DATE && date <= SIM_LAST_DATE ? sim.quoteAt(symbol, now) : null;
}

/** The latest completed minute bar at or before `now` (the one the stream sent last), or null. */
export function latestMinuteBar(sim: MarketSimulator, symbol: string, now: number): Bar | null {
  const closed = bucketStart(now, ONE_MIN);
  return sim.has(symbol) ? lastBefore(closed - 1, (from, to) => sim.bars(symbol, ONE_MIN, from, to)) : null;
}

/** The current (or last) session's daily bar and the one before it, as known at `now`. */
export function recentDailyBars(
  sim: MarketSimulator,
  symbol: string,
  now: number,
): { daily: Bar | null; previous: Bar | null } {
  const bars = barsAsOf(sim, symbol, ONE_DAY, now - 12 * DAY_MS, now + 1, now);
  return { daily: bars.at(-1) ?? null, previous: bars.at(-2) ?? null };
}
