import type { UsageBudget, UsageMetric, UsageReport } from '../../../contracts/ops.js';
import type { StoredBudget } from './usage-ports.js';

export const DEFAULT_WARN_AT = 0.8;
const MIB = 1024 * 1024;

/** The measured value of each budget metric in a report (storage in MiB, daily counts for the UTC day). */
export function usedOf(report: Omit<UsageReport, 'budgets'>): Record<UsageMetric, number> {
  const calls = (api: 'alpaca_data' | 'alpaca_trading') =>
    report.upstream.apis.find((a) => a.api === api)?.callsLastMinute ?? 0;
  return {
    alpaca_data_rest_per_minute: calls('alpaca_data'),
    alpaca_trading_rest_per_minute: calls('alpaca_trading'),
    alpaca_stream_symbols: report.upstream.streamSymbols,
    database_mb: Math.round((report.storage.databaseBytes / MIB) * 100) / 100,
    files_mb: Math.round((report.storage.filesBytes / MIB) * 100) / 100,
    orders_per_day: report.business.today.orders,
    signals_per_day: report.business.today.signalsFired,
    signups_per_day: report.business.today.signups,
  };
}

/**
 * Every metric's budget: an admin's stored one, else the configured default (Alpaca's REST limit per
 * minute and stream symbol limit), else none; with its state against what is used now.
 */
export function budgetsOf(
  used: Record<UsageMetric, number>,
  stored: readonly StoredBudget[],
  defaults: Partial<Record<UsageMetric, number>>,
): UsageBudget[] {
  return (Object.keys(used) as UsageMetric[]).map((metric) => {
    const custom = stored.find((b) => b.metric === metric);
    const limit = custom ? custom.limit : (defaults[metric] ?? null);
    const warnAt = custom?.warnAt ?? DEFAULT_WARN_AT;
    const value = used[metric];
    const ratio = limit === null || limit <= 0 ? null : value / limit;
    const state = ratio === null ? 'none' : ratio >= 1 ? 'over' : ratio >= warnAt ? 'warning' : 'ok';
    return {
      metric,
      limit,
      warnAt,
      used: value,
      ratio: ratio === null ? null : Math.round(ratio * 10_000) / 10_000,
      state,
      source: custom ? 'custom' : 'default',
    };
  });
}

const LABELS: Record<UsageMetric, string> = {
  alpaca_data_rest_per_minute: 'Alpaca market data REST calls per minute',
  alpaca_trading_rest_per_minute: 'Alpaca Trading API calls per minute',
  alpaca_stream_symbols: 'Alpaca stream symbols',
  database_mb: 'Database size (MiB)',
  files_mb: 'DATA_DIR files (MiB)',
  orders_per_day: 'Orders today',
  signals_per_day: 'Signals fired today',
  signups_per_day: 'Sign-ups today',
};

/** The alert summary of a budget in warning or over. */
export function budgetSummary(b: UsageBudget): string {
  const pct = Math.round((b.ratio ?? 0) * 100);
  return `${LABELS[b.metric]} at ${pct} % of budget (${b.used} of ${b.limit ?? '—'})`;
}
