// Rule evaluation throughput over 1,000,000 1Min bars: the compiled rule
// `crossover(sma(close,50), sma(close,200)) and rsi(14) < 70` (streaming onBar and evaluateSeries) against the same
// condition as a plain hand-written single-pass loop (the baseline), same data, same run. Prints JSON; never fails on time.
import { performance } from 'node:perf_hooks';
import { type RuleBar, compileRule, evaluateSeries } from '../core/signals/index.js';
import { randomSeries } from '../core/signals/indicators/testing/fixtures.js';

const BARS = process.argv.includes('--quick') ? 200_000 : 1_000_000;
const SOURCE = 'crossover(sma(close,50), sma(close,200)) and rsi(14) < 70';

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

/** The baseline: SMA 50/200 and Wilder RSI 14 with the registry's arithmetic (TA-Lib order), one pass, no allocation per bar. */
function handWritten(input: readonly RuleBar[]): Uint8Array {
  const out = new Uint8Array(input.length);
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
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!.c;
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
    out[i] = f > s && prevFast <= prevSlow && rsi < 70 ? 1 : 0;
    prevFast = f;
    prevSlow = s;
  }
  return out;
}

/** Best of `runs` timings of `fn`, in bars per second. */
function barsPerSecond(fn: () => unknown, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return Math.round((BARS / best) * 1000);
}

const compileStart = performance.now();
const compiled = compileRule(SOURCE, { timeframe: '1Min' });
const compileMs = performance.now() - compileStart;
if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('; '));
const rule = compiled.rule;

const streaming = (): number => {
  const state = rule.createState();
  let fired = 0;
  for (let i = 0; i < bars.length; i++) if (rule.onBar(state, bars[i]!).value) fired++;
  return fired;
};

// Warm the JIT on every path before timing.
streaming();
evaluateSeries(rule, bars);
handWritten(bars);

const ruleResult = evaluateSeries(rule, bars);
const baseline = handWritten(bars);
let mismatches = 0;
for (let i = 0; i < BARS; i++) if (ruleResult[i] !== (baseline[i] === 1)) mismatches++;

const streamingRate = barsPerSecond(streaming);
const batchRate = barsPerSecond(() => evaluateSeries(rule, bars));
const baselineRate = barsPerSecond(() => handWritten(bars));

process.stdout.write(
  `${JSON.stringify(
    {
      rule: SOURCE,
      bars: BARS,
      compileMs: Math.round(compileMs * 1000) / 1000,
      streamingBarsPerSecond: streamingRate,
      evaluateSeriesBarsPerSecond: batchRate,
      baselineBarsPerSecond: baselineRate,
      slowdownVsBaseline: Math.round((baselineRate / streamingRate) * 10) / 10,
      trueBars: ruleResult.filter(Boolean).length,
      mismatchesVsBaseline: mismatches,
      node: process.version,
    },
    null,
    2,
  )}\n`,
);
