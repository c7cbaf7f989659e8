import { BarBuilder, compareBars, isExtendedBucket, roundVwap, type Bar, type Trade } from './bar.js';
import { phaseAt } from './calendar.js';
import { bucketStart, isIntraday, type Timeframe } from './timeframe.js';

/** Orders trades by time, then id. */
export function compareTrades(a: Trade, b: Trade): number {
  return a.t - b.t || a.id - b.id;
}

/** True when a trade counts towards a bar of `tf`: every trade intraday, only regular-session trades for Day and longer. */
export function countsToward(t: number, tf: Timeframe): boolean {
  return isIntraday(tf) || phaseAt(t) === 'regular';
}

/** Builds bars of `tf` from trades (any symbols, any order), sorted by bar start then symbol; no bar for an empty bucket. */
export function aggregateTrades(trades: readonly Trade[], tf: Timeframe): Bar[] {
  const sorted = [...trades].sort(compareTrades);
  const builders = new Map<string, BarBuilder>();
  let lastKey = '';
  let last: BarBuilder | undefined;
  for (const tr of sorted) {
    if (!countsToward(tr.t, tf)) continue;
    const start = bucketStart(tr.t, tf);
    const key = `${tr.symbol}\u0000${start}`;
    if (key !== lastKey || !last) {
      last = builders.get(key);
      if (!last) {
        last = new BarBuilder(tr.symbol, start, isExtendedBucket(start, tf));
        builders.set(key, last);
      }
      lastKey = key;
    }
    last.add(tr.price, tr.size);
  }
  return [...builders.values()].map((b) => b.toBar()).sort(compareBars);
}

/** A bar being rolled up: its fields so far, with the sum of price × volume for its VWAP. */
type Rollup = Omit<Bar, 'vw'> & { pv: number };

/**
 * Builds bars of a larger timeframe from smaller ones (vw volume-weighted); Day and longer skip extended-hours bars.
 * Accumulators and bars are whole object literals: a spread copy given a new field gets a hidden class of its own in
 * V8's optimised code, and history answers thousands of these.
 */
export function rollupBars(bars: readonly Bar[], tf: Timeframe): Bar[] {
  const sorted = [...bars].sort(compareBars);
  const out = new Map<string, Rollup>();
  for (const b of sorted) {
    if (b.extended && !isIntraday(tf)) continue;
    const start = bucketStart(b.t, tf);
    const key = `${b.symbol}\u0000${start}`;
    const acc = out.get(key);
    if (!acc) {
      const extended = isExtendedBucket(start, tf);
      out.set(key, {
        symbol: b.symbol,
        t: start,
        o: b.o,
        h: b.h,
        l: b.l,
        c: b.c,
        v: b.v,
        n: b.n,
        extended,
        pv: b.vw * b.v,
      });
      continue;
    }
    acc.h = Math.max(acc.h, b.h);
    acc.l = Math.min(acc.l, b.l);
    acc.c = b.c;
    acc.v += b.v;
    acc.n += b.n;
    acc.pv += b.vw * b.v;
  }
  return [...out.values()]
    .map((a): Bar => ({
      symbol: a.symbol,
      t: a.t,
      o: a.o,
      h: a.h,
      l: a.l,
      c: a.c,
      v: a.v,
      n: a.n,
      vw: a.v > 0 ? roundVwap(a.pv / a.v) : a.c,
      extended: a.extended,
    }))
    .sort(compareBars);
}
