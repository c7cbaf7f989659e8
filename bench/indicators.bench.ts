// Indicator throughput over 1,000,000 bars: streaming (registry instance, one bar at a time), batch (columns),
// and TA-Lib (the native baseline, same data, same run). Prints JSON; never passes or fails on time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { definitions } from '../core/signals/indicators/definitions.js';
import { Macd, Rsi } from '../core/signals/indicators/momentum.js';
import { Ema, Sma } from '../core/signals/indicators/moving-averages.js';
import { computeIndicator, createIndicator, indicatorSpecs } from '../core/signals/indicators/registry.js';
import { randomSeries } from '../core/signals/indicators/testing/fixtures.js';
import type { Talib } from '../core/signals/indicators/testing/talib-reference.js';
import { Bbands } from '../core/signals/indicators/volatility.js';

const BARS = 1_000_000;
const talib = createRequire(import.meta.url)('talib') as Talib;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** TA-Lib request per registry name (registry defaults), where TA-Lib has the indicator. */
function talibRequest(
  name: string,
  c: Record<'high' | 'low' | 'close' | 'volume', number[]>,
): Record<string, unknown> | null {
  const hlc = { high: c.high, low: c.low, close: c.close };
  const requests: Record<string, Record<string, unknown>> = {
    SMA: { inReal: c.close, optInTimePeriod: 20 },
    EMA: { inReal: c.close, optInTimePeriod: 20 },
    WMA: { inReal: c.close, optInTimePeriod: 20 },
    DEMA: { inReal: c.close, optInTimePeriod: 20 },
    TEMA: { inReal: c.close, optInTimePeriod: 20 },
    RSI: { inReal: c.close, optInTimePeriod: 14 },
    ROC: { inReal: c.close, optInTimePeriod: 10 },
    MOM: { inReal: c.close, optInTimePeriod: 10 },
    STDDEV: { inReal: c.close, optInTimePeriod: 20, optInNbDev: 1 },
    MAX: { inReal: c.close, optInTimePeriod: 20 },
    MIN: { inReal: c.close, optInTimePeriod: 20 },
    MACD: { inReal: c.close, optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 },
    BBANDS: { inReal: c.close, optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 },
    STOCHRSI: {
      inReal: c.close,
      optInTimePeriod: 14,
      optInFastK_Period: 14,
      optInFastD_Period: 3,
      optInFastD_MAType: 0,
    },
    ATR: { ...hlc, optInTimePeriod: 14 },
    CCI: { ...hlc, optInTimePeriod: 20 },
    WILLR: { ...hlc, optInTimePeriod: 14 },
    STOCH: {
      ...hlc,
      optInFastK_Period: 14,
      optInSlowK_Period: 3,
      optInSlowK_MAType: 0,
      optInSlowD_Period: 3,
      optInSlowD_MAType: 0,
    },
    ADX: { ...hlc, optInTimePeriod: 14 },
    SAR: { high: c.high, low: c.low, optInAcceleration: 0.02, optInMaximum: 0.2 },
    OBV: { inReal: c.close, volume: c.volume },
    MFI: { ...hlc, volume: c.volume, optInTimePeriod: 14 },
  };
  const r = requests[name];
  return r ? { name, startIdx: 0, endIdx: c.close.length - 1, ...r } : null;
}

/** Best of `runs` timed runs of `fn` over all bars, in ns per bar (the JIT is warmed by the caller). */
function nsPerBar(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return Math.round(((best * 1e6) / BARS) * 100) / 100;
}

const data = randomSeries(BARS, 2024);
const columns = {
  open: Float64Array.from(data.open),
  high: Float64Array.from(data.high),
  low: Float64Array.from(data.low),
  close: Float64Array.from(data.close),
  volume: Float64Array.from(data.volume),
};
/** One mutable bar re-pointed at each row, so feeding the stream allocates nothing itself. */
const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0, time: 0 };

let gcRuns = 0;
new PerformanceObserver((list) => (gcRuns += list.getEntries().length)).observe({ entryTypes: ['gc'] });
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const results: Record<string, unknown> = {};
// `--talib-c-only`: only the comparison with TA-Lib C (the five indicators), not every indicator's registry figures.
const talibCOnly = process.argv.includes('--talib-c-only');
for (const spec of talibCOnly ? [] : indicatorSpecs) {
  const stream = (count: number) => {
    const instance = createIndicator(spec.name);
    for (let i = 0; i < count; i++) {
      bar.open = columns.open[i]!;
      bar.high = columns.high[i]!;
      bar.low = columns.low[i]!;
      bar.close = columns.close[i]!;
      bar.volume = columns.volume[i]!;
      bar.time = i;
      instance.update(bar);
    }
  };
  stream(BARS);
  computeIndicator(spec.name, columns);
  const streaming = nsPerBar(() => stream(BARS));
  // Allocation check: one more streaming pass between two full collections. Retained growth shows state that
  // grows with bars; young-generation collections during the pass show short-lived garbage per bar.
  gc();
  await flush();
  const gcBefore = gcRuns;
  const heapBefore = process.memoryUsage().heapUsed;
  stream(BARS);
  await flush();
  const streamingGcRuns = gcRuns - gcBefore;
  gc();
  const retained = process.memoryUsage().heapUsed - heapBefore;
  const batch = nsPerBar(() => computeIndicator(spec.name, columns));
  const request = talibRequest(spec.name, data);
  let talibNs: number | null = null;
  if (request) {
    talib.execute(request);
    talibNs = nsPerBar(() => talib.execute(request));
  }
  results[spec.name] = {
    streamingNsPerBar: streaming,
    batchNsPerBar: batch,
    talibNsPerBar: talibNs,
    streamingVsTalib: talibNs ? Math.round((streaming / talibNs) * 100) / 100 : null,
    batchVsTalib: talibNs ? Math.round((batch / talibNs) * 100) / 100 : null,
    streamingRetainedHeapBytes: retained,
    streamingGcRuns,
  };
}

/**
 * TA-Lib C itself, no binding: bench/indicators/talib-c.c compiled against the TA-Lib 0.6 library talib@1.1.6
 * builds, over the same series. Null (with the reason) when no C compiler is there.
 */
function talibC(): { nsPerBar: Record<string, number> } | { unavailable: string } {
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const lib = path.join(
      path.dirname(createRequire(import.meta.url).resolve('talib/package.json')),
      'src/lib',
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pulse-talib-c-'));
    const exe = path.join(dir, 'talib-c');
    execFileSync('gcc', [
      '-O2',
      `-I${path.join(lib, 'include')}`,
      path.join(here, 'indicators/talib-c.c'),
      path.join(lib, 'lib/libta_libc_csr.a'),
      '-lm',
      '-o',
      exe,
    ]);
    const series = new Float64Array(1 + 3 * BARS);
    series[0] = BARS;
    series.set(columns.high, 1);
    series.set(columns.low, 1 + BARS);
    series.set(columns.close, 1 + 2 * BARS);
    const file = path.join(dir, 'series.bin');
    writeFileSync(file, series);
    const out = execFileSync(exe, [file, '9'], { encoding: 'utf8', timeout: 120_000 });
    return { nsPerBar: JSON.parse(out) as Record<string, number> };
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

/** The five indicators TA-Lib C is timed on, with the parameters talib-c.c passes. */
type Outs = readonly [Float64Array, Float64Array, Float64Array];
/**
 * Streaming through each indicator's own class, one close at a time, each output written to a Float64Array as
 * TA-Lib C writes its output arrays: what a backtest or live rule holding the indicator pays per bar. Every bar is
 * a full streaming update (state read from and written back to the object; no batch shortcut). One function
 * literal per indicator, so each call site sees one class (as in code that holds a `Sma`), and every value the
 * loop touches is a local (a module-level binding would cost a context load and a hole check per bar, which C
 * does not pay).
 */
const classStreams: Record<string, (x: Float64Array, o: Outs) => void> = {
  SMA: (x, [o]) => {
    const s = new Sma(20);
    for (let i = 0, n = x.length; i < n; i++) o[i] = s.next(x[i]!);
  },
  EMA: (x, [o]) => {
    const s = new Ema(20);
    for (let i = 0, n = x.length; i < n; i++) o[i] = s.next(x[i]!);
  },
  RSI: (x, [o]) => {
    const s = new Rsi(14);
    for (let i = 0, n = x.length; i < n; i++) o[i] = s.next(x[i]!);
  },
  MACD: (x, [m, g, h]) => {
    const s = new Macd(12, 26, 9);
    for (let i = 0, n = x.length; i < n; i++) {
      s.next(x[i]!);
      m[i] = s.macd;
      g[i] = s.signal;
      h[i] = s.hist;
    }
  },
  BBANDS: (x, [u, m, l]) => {
    const s = new Bbands(20, 2, 2);
    for (let i = 0, n = x.length; i < n; i++) {
      s.next(x[i]!);
      u[i] = s.upper;
      m[i] = s.middle;
      l[i] = s.lower;
    }
  },
};

/**
 * The same streaming classes through the registry's generic `Stream` (`step` for one output, `push` then the
 * outputs' readers), from one call site shared by every indicator, as the rules engine drives them: the dispatch
 * is megamorphic, so each bar also pays a non-inlined call with its double boxed.
 */
function registryStream(name: string, x: Float64Array, outs: Outs): void {
  const d = definitions.find((e) => e.name === name)!;
  const params = Object.fromEntries(d.params.map((q) => [q.name, q.default]));
  const s = d.stream(params, 'close');
  const n = x.length;
  if (s.step && d.outputs.length === 1) {
    const out = outs[0];
    const step = s.step;
    for (let i = 0; i < n; i++) out[i] = step(x[i]!);
    return;
  }
  const push = s.push!;
  const reads = d.outputs.map((o) => s.read[o]!);
  for (let i = 0; i < n; i++) {
    push(x[i]!);
    for (let k = 0; k < reads.length; k++) outs[k]![i] = reads[k]!();
  }
}

/** Pulse's batch API over the Float64Array columns (output arrays allocated per call, as the API does). */
const batchOf = (name: string): void => void computeIndicator(name, columns);

const c = talibC();
const outs: Outs = [new Float64Array(BARS), new Float64Array(BARS), new Float64Array(BARS)];
const measured: Record<'streaming' | 'batch' | 'registryStep', Record<string, number>> = {
  streaming: {},
  batch: {},
  registryStep: {},
};
if ('nsPerBar' in c)
  for (const name of Object.keys(c.nsPerBar)) {
    const close = columns.close;
    const run = classStreams[name]!;
    run(close, outs);
    measured.streaming[name] = nsPerBar(() => run(close, outs), 9);
    batchOf(name);
    measured.batch[name] = nsPerBar(() => batchOf(name), 9);
    registryStream(name, close, outs);
    measured.registryStep[name] = nsPerBar(() => registryStream(name, close, outs), 9);
  }

/** Pulse throughput / TA-Lib C batch throughput per indicator (1 = as fast as C), with the target's two figures. */
function versusC(pulse: Record<string, number>) {
  const ratios: Record<string, number> = {};
  if ('nsPerBar' in c)
    for (const [name, ns] of Object.entries(c.nsPerBar))
      ratios[name] = Math.round((ns / pulse[name]!) * 1000) / 1000;
  const values = Object.values(ratios);
  if (values.length === 0) return { vsTalibC: ratios, geometricMean: null, lowest: null, meetsTarget: null };
  const geometricMean =
    Math.round(Math.exp(values.reduce((sum, r) => sum + Math.log(r), 0) / values.length) * 1000) / 1000;
  const lowest = Math.min(...values);
  return { vsTalibC: ratios, geometricMean, lowest, meetsTarget: geometricMean >= 0.4 && lowest >= 0.15 };
}

const talibCComparison = {
  ...c,
  pulseStreamingNsPerBar: measured.streaming,
  pulseBatchNsPerBar: measured.batch,
  pulseRegistryStepNsPerBar: measured.registryStep,
  target: 'geometric mean >= 0.4, no indicator below 0.15 (throughput ratio Pulse / TA-Lib C batch)',
  streaming: versusC(measured.streaming),
  batch: versusC(measured.batch),
  registryStep: versusC(measured.registryStep),
};

const notes = [
  'streaming: createIndicator(name).update(bar) per bar through the registry; batch: computeIndicator over Float64Array columns',
  'talib: talib@1.1.6 execute() over number[] columns (TA-Lib 0.6 C; includes the binding copying JS arrays), same data, same run',
  'talibC: the same TA-Lib C library called directly (bench/indicators/talib-c.c, gcc -O2), batch over the same series, best of 9; Pulse best of 9',
  'talibC.streaming: each indicator class (Sma, Ema, Rsi, Macd, Bbands) fed the closes one at a time from a call site of its own, every output written to a Float64Array; the issue target is judged on this ratio',
  'talibC.batch: computeIndicator over the Float64Array columns (dedicated kernels, output arrays allocated per call)',
  'talibC.registryStep: the same classes through the registry Stream (step, or push then readers) from one call site shared by all indicators, as the rules engine calls them (megamorphic dispatch, boxed doubles)',
  'streamingGcRuns: collections during one 1M-bar pass of createIndicator().update(bar); the classes allocate nothing per bar, but V8 boxes a double returned across the megamorphic registry call',
];
process.stdout.write(
  `${JSON.stringify({ bars: BARS, node: process.version, notes, talibC: talibCComparison, indicators: results }, null, 2)}\n`,
);
