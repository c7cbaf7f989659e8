import { DomainError } from '../../core/kernel/index.js';
import {
  type Bar,
  bucketStart,
  dayNumber,
  MarketSimulator,
  nyWallToUtc,
  parseTimeframe,
} from '../../core/market-data/index.js';
import {
  type BacktestOptions,
  type BacktestReportJson,
  backtestJson,
  type RuleBar,
  resolveBacktest,
  runBacktest,
} from '../../core/signals/index.js';

/** A backtest request (the API body and the CLI flags). Dates are New York calendar days, both inclusive. */
export interface BacktestRequest {
  readonly symbol: string;
  readonly timeframe: string;
  readonly from: string;
  readonly to: string;
  readonly entry: string;
  readonly exit: string | null;
  readonly side: 'long' | 'short';
  readonly qty?: string | undefined;
  readonly pctEquity?: number | undefined;
  readonly initialCash: string;
  readonly slippageBps: number;
  /** Dollars per order. */
  readonly commission: string;
}

/** Where a job's bars come from: the simulator (rebuilt from its seed in the worker) or bars sent as columns. */
export type BarSource =
  /** `until`: the simulated present; bars after it are not shown by `pulse serve` and are left out. */
  | { readonly kind: 'sim'; readonly seed: string; readonly until?: number }
  | {
      readonly kind: 'columns';
      readonly t: Float64Array;
      readonly o: Float64Array;
      readonly h: Float64Array;
      readonly l: Float64Array;
      readonly c: Float64Array;
      readonly v: Float64Array;
    };

/** The [start, end) epoch-ms window of a request's New York dates. */
export function requestWindow(request: Pick<BacktestRequest, 'from' | 'to'>): { start: number; end: number } {
  return { start: nyWallToUtc(dayNumber(request.from), 0), end: nyWallToUtc(dayNumber(request.to) + 1, 0) };
}

/** The backtester's options for a request; throws the rule's error (line:column) or SIGNALS_INVALID_PARAMETER. */
export function backtestOptions(request: BacktestRequest): BacktestOptions {
  return {
    entry: request.entry,
    exit: request.exit,
    timeframe: request.timeframe,
    side: request.side,
    sizing:
      request.qty !== undefined
        ? { kind: 'qty', qty: request.qty }
        : { kind: 'pct_equity', pct: request.pctEquity ?? 100 },
    initialCash: request.initialCash,
    slippageBps: request.slippageBps,
    commission: { perOrder: request.commission },
  };
}

/** Bars as columns (transferable to a worker). */
export function toColumns(bars: readonly Bar[]): Extract<BarSource, { kind: 'columns' }> {
  const n = bars.length;
  const cols = {
    t: new Float64Array(n),
    o: new Float64Array(n),
    h: new Float64Array(n),
    l: new Float64Array(n),
    c: new Float64Array(n),
    v: new Float64Array(n),
  };
  bars.forEach((b, i) => {
    cols.t[i] = b.t;
    cols.o[i] = b.o;
    cols.h[i] = b.h;
    cols.l[i] = b.l;
    cols.c[i] = b.c;
    cols.v[i] = b.v;
  });
  return { kind: 'columns', ...cols };
}

function loadBars(request: BacktestRequest, source: BarSource): RuleBar[] {
  if (source.kind === 'columns') {
    const out: RuleBar[] = [];
    for (let i = 0; i < source.t.length; i++)
      out.push({
        t: source.t[i]!,
        o: source.o[i]!,
        h: source.h[i]!,
        l: source.l[i]!,
        c: source.c[i]!,
        v: source.v[i]!,
      });
    return out;
  }
  const tf = parseTimeframe(request.timeframe);
  if (!tf)
    throw new DomainError('SIGNALS_INVALID_PARAMETER', `invalid timeframe ${request.timeframe}`, {
      name: 'timeframe',
    });
  const { start, end: last } = requestWindow(request);
  const end = source.until === undefined ? last : Math.min(last, bucketStart(source.until, tf));
  return new MarketSimulator({ seed: source.seed }).bars(request.symbol, tf, start, end);
}

/** Runs one backtest request over its bars (CPU-bound: run it in a worker thread off the request loop). */
export function runBacktestJob(
  request: BacktestRequest,
  source: BarSource,
  onProgress: (fraction: number) => void = () => undefined,
): BacktestReportJson {
  const resolved = resolveBacktest(backtestOptions(request));
  const bars = loadBars(request, source);
  if (bars.length === 0)
    throw new DomainError(
      'SIGNALS_NO_BARS',
      `no ${request.timeframe} bars for ${request.symbol} from ${request.from} to ${request.to}`,
    );
  onProgress(0.2);
  const report = runBacktest(bars, resolved, {
    every: Math.max(1_000, Math.ceil(bars.length / 20)),
    onProgress: (f) => onProgress(0.2 + 0.8 * f),
  });
  return backtestJson(report);
}
