import { DomainError } from '../../kernel/index.js';
import type { RuleBar } from '../rules/compile-rule.js';
import { BarChunks, CHUNK_BARS, chunkVerdicts, columnsFor } from '../rules/evaluate-columns.js';
import { type BacktestOptions, resolveBacktest, type ResolvedBacktest } from './backtest-options.js';
import { type BacktestReport, backtestReport } from './backtest-report.js';
import { Backtester } from './backtester.js';

/** Progress and cancellation hooks of a long run. */
export type RunHooks = {
  /** Called every `every` bars with the fraction done (0–1). */
  readonly onProgress?: (fraction: number) => void;
  /** Polled with each progress call; return true to stop with SIGNALS_BACKTEST_CANCELED. */
  readonly canceled?: () => boolean;
  readonly every?: number;
};

/**
 * Backtests `options` over `bars` (ascending, closed): compiles the rules, evaluates them a chunk of columns at a
 * time (bit-identical to streaming them bar by bar, as the live engine does; indicators shared between entry and
 * exit are computed once), then walks the bars deciding at each close and filling at the next open, and reports.
 */
export function runBacktest(
  bars: readonly RuleBar[],
  options: BacktestOptions | ResolvedBacktest,
  hooks: RunHooks = {},
): BacktestReport {
  const resolved = 'entryPolicy' in options ? options : resolveBacktest(options);
  const check = (): void => {
    if (hooks.canceled?.()) throw new DomainError('SIGNALS_BACKTEST_CANCELED', 'the backtest was canceled');
  };
  const rules = resolved.exit ? [resolved.entry, resolved.exit] : [resolved.entry];
  const chunks = new BarChunks(bars, CHUNK_BARS, columnsFor(rules));
  const entry = chunkVerdicts(resolved.entry, chunks);
  const exit = resolved.exit ? chunkVerdicts(resolved.exit, chunks) : null;
  const tester = new Backtester(resolved, Math.max(16, bars.length));
  const every = Math.max(1, Math.round((hooks.every ?? 50_000) / chunks.size));
  const n = bars.length;
  for (let k = 0; chunks.load(k * chunks.size); k++) {
    entry.evaluate();
    exit?.evaluate();
    tester.onChunk(chunks, entry, exit);
    const done = chunks.start + chunks.length;
    if ((hooks.onProgress || hooks.canceled) && ((k + 1) % every === 0 || done === n)) {
      check();
      hooks.onProgress?.(done / n);
    }
  }
  return backtestReport(tester.result());
}
