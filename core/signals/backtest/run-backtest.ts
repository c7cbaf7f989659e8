import { DomainError } from '../../kernel/index.js';
import type { RuleBar } from '../rules/compile-rule.js';
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

/** Backtests `options` over `bars` (ascending, closed): compiles the rules, runs them bar by bar and reports. */
export function runBacktest(
  bars: readonly RuleBar[],
  options: BacktestOptions | ResolvedBacktest,
  hooks: RunHooks = {},
): BacktestReport {
  const resolved = 'entryPolicy' in options ? options : resolveBacktest(options);
  const tester = new Backtester(resolved, Math.max(16, bars.length));
  const every = hooks.every ?? 50_000;
  const n = bars.length;
  for (let start = 0; start < n; start += every) {
    const end = Math.min(n, start + every);
    for (let i = start; i < end; i++) tester.onBar(bars[i]!);
    if (hooks.onProgress || hooks.canceled) {
      if (hooks.canceled?.()) throw new DomainError('SIGNALS_BACKTEST_CANCELED', 'the backtest was canceled');
      hooks.onProgress?.(end / n);
    }
  }
  return backtestReport(tester.result());
}
