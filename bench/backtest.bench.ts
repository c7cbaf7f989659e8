// Backtest throughput over 1,000,000 1Min bars: entry `crossover(sma(close,50), sma(close,200)) and rsi(14) < 70`,
// exit `crossunder(sma(close,50), sma(close,200))`, long, 100 % of equity, 5 bps slippage, $1 a order — against a
// plain hand-written single-pass loop computing the same trades (the baseline), same data, same run. Then the live
// signals engine: one bar close for 500 symbols under 10,000 signals. Prints JSON; never fails on time.
import { performance } from 'node:perf_hooks';
import { type RuleBar, runBacktest } from '../core/signals/index.js';
import { randomSeries } from '../core/signals/indicators/testing/fixtures.js';
import { liveSignalsBench } from './backtest/live-signals.js';

const quick = process.argv.includes('--quick');
const BARS = quick ? 200_000 : 1_000_000;
const ENTRY = 'crossover(sma(close,50), sma(close,200)) and rsi(14) < 70';
const EXIT = 'crossunder(sma(close,50), sma(close,200))';
const SLIPPAGE_BPS = 5;
const COMMISSION = 1;

const data = randomSeries(BARS, 2024);
const bars: RuleBar[] = data.close.map((c, i) => ({
  t: data.time[i]!,
  o: data.open[i]!,
  h: data.high[i]!,
  l: data.low[i]!,
  c,
  v: data.volume[i]!,
  extended: false,
}));

type PlainTrade = { entry: number; exit: number; qty: number; pnl: number };

/** The baseline: SMA 50/200, Wilder RSI 14, cross detection and the same fills (next open ± slippage, whole shares) in one float64 pass. */
function handWritten(input: readonly RuleBar[]): PlainTrade[] {
  const trades: PlainTrade[] = [];
  const sma = (period: number) => ({ period, ring: new Float64Array(period), head: 0, count: 0, sum: 0 });
  const fast = sma(50);
  const slow = sma(200);
  const step = (s: ReturnType<typeof sma>, x: number): number => {
    s.sum += x;
    s.ring[s.head] = x;
    s.head = (s.head + 1) % s.period;
    if (s.count < s.period - 1) {
      s.count++;
      return Number.NaN;
    }
    const value = s.sum / s.period;
    s.sum -= s.ring[s.head]!;
    return value;
  };
  let prevClose = Number.NaN;
  let gain = 0;
  let loss = 0;
  let seen = 0;
  let rsi = Number.NaN;
  let prevFast = Number.NaN;
  let prevSlow = Number.NaN;
  let cash = 100_000;
  let qty = 0;
  let pending = 0;
  let entryPrice = 0;
  let entryAt = 0;
  const slip = SLIPPAGE_BPS / 10_000;
  for (let i = 0; i < input.length; i++) {
    const bar = input[i]!;
    if (pending === 1) {
      const price = bar.o * (1 + slip);
      const q = Math.floor(cash / price);
      if (q > 0) {
        qty = q;
        cash -= q * price + COMMISSION;
        entryPrice = price;
        entryAt = i;
      }
    } else if (pending === 2) {
      const price = bar.o * (1 - slip);
      cash += qty * price - COMMISSION;
      trades.push({ entry: entryAt, exit: i, qty, pnl: (price - entryPrice) * qty - 2 * COMMISSION });
      qty = 0;
    }
    pending = 0;
    const x = bar.c;
    const f = step(fast, x);
    const s = step(slow, x);
    if (seen === 0) seen = 1;
    else {
      const change = x - prevClose;
      if (seen <= 14) {
        if (change < 0) loss -= change;
        else gain += change;
        seen++;
        if (seen > 14) {
          loss /= 14;
          gain /= 14;
        }
      } else {
        loss *= 13;
        gain *= 13;
        if (change < 0) loss -= change;
        else gain += change;
        loss /= 14;
        gain /= 14;
      }
      if (seen > 14) rsi = gain + loss === 0 ? 0 : (100 * gain) / (gain + loss);
    }
    prevClose = x;
    const entry = f > s && prevFast <= prevSlow && rsi < 70;
    const exit = f < s && prevFast >= prevSlow;
    if (qty > 0 && exit) pending = 2;
    else if (qty === 0 && entry) pending = 1;
    prevFast = f;
    prevSlow = s;
  }
  return trades;
}

/** Best of `runs` timings of `fn`, in bars per second, and the last result. */
function timed<T>(fn: () => T, runs = 3): { rate: number; ms: number; result: T } {
  let best = Infinity;
  let result: T | undefined;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    result = fn();
    best = Math.min(best, performance.now() - start);
  }
  return { rate: Math.round((BARS / best) * 1000), ms: Math.round(best * 10) / 10, result: result as T };
}

const options = {
  entry: ENTRY,
  exit: EXIT,
  timeframe: '1Min',
  side: 'long' as const,
  sizing: { kind: 'pct_equity' as const, pct: 100 },
  slippageBps: SLIPPAGE_BPS,
  commission: { perOrder: COMMISSION },
};
// Steady state on every path: one full-length run of each warms the JIT (and settles the heap) before timing.
runBacktest(bars, options);
runBacktest(bars, { ...options, exit: null });
handWritten(bars);

const runs = quick ? 3 : 5;
const pulse = timed(() => runBacktest(bars, options), runs);
// The entry rule alone (a position, once taken, is held to the end).
const entryOnly = timed(() => runBacktest(bars, { ...options, exit: null }), runs);
const baseline = timed(() => handWritten(bars), runs);
const ours = pulse.result.trades.filter((t) => t.exitAt !== null);
const theirs = baseline.result;
const index = new Map(bars.map((b, i) => [b.t, i]));
let mismatches = Math.abs(ours.length - theirs.length);
let worstPnlGap = 0;
let qtyRoundingDiffs = 0;
for (let k = 0; k < Math.min(ours.length, theirs.length); k++) {
  const a = ours[k]!;
  const b = theirs[k]!;
  if (index.get(a.entryAt) !== b.entry || index.get(a.exitAt!) !== b.exit) mismatches++;
  // The float baseline sizes with binary division; at sub-cent prices that can round a share differently.
  if (a.qty.toNumber() !== b.qty) qtyRoundingDiffs++;
  if (a.qty.toNumber() === b.qty) worstPnlGap = Math.max(worstPnlGap, Math.abs(a.pnl!.toNumber() - b.pnl));
}

const live = liveSignalsBench(quick);
const m = pulse.result.metrics;
process.stdout.write(
  `${JSON.stringify(
    {
      backtest: {
        entry: ENTRY,
        exit: EXIT,
        bars: BARS,
        fillModel: `next bar open, ${SLIPPAGE_BPS} bps slippage, $${COMMISSION} per order, whole shares, 100 % of equity`,
        entryOnlyBarsPerSecond: entryOnly.rate,
        entryOnlyMs: entryOnly.ms,
        pulseBarsPerSecond: pulse.rate,
        pulseMs: pulse.ms,
        baselineBarsPerSecond: baseline.rate,
        baselineMs: baseline.ms,
        slowdownVsBaseline: Math.round((baseline.rate / pulse.rate) * 10) / 10,
        target: '>= 5,000,000 bars/s',
        trades: ours.length,
        tradeMismatchesVsBaseline: mismatches,
        qtyRoundingDiffsVsFloatBaseline: qtyRoundingDiffs,
        worstPnlGapVsFloatBaseline: Math.round(worstPnlGap * 1e6) / 1e6,
        totalReturn: m.totalReturn,
        sharpe: m.sharpe,
        maxDrawdown: m.maxDrawdown,
      },
      liveSignals: live,
      node: process.version,
    },
    null,
    2,
  )}\n`,
);
