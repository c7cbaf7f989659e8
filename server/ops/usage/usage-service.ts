import type { PutUsageBudgetsBody, UsageMetric, UsageReport } from '../../../contracts/ops.js';
import { PutUsageBudgetsBody as PutBody } from '../../../contracts/ops.js';
import type { AlertEngine } from '../alerting/alert-engine.js';
import type { PulseMetrics } from '../metrics/metrics.js';
import { dirSize } from './dir-size.js';
import { budgetsOf, budgetSummary, usedOf } from './usage-budgets.js';
import type { RollingUsageMeter, UpstreamApi } from './usage-meter.js';
import type { UsageStore } from './usage-ports.js';

const DAY_MS = 86_400_000;
const DAYS = 30;
const APIS: readonly UpstreamApi[] = ['alpaca_data', 'alpaca_trading'];

export interface UsageServiceOptions {
  store: UsageStore;
  meter: RollingUsageMeter;
  /** The market data provider (`sim` or `alpaca`). */
  provider: string;
  /** Alpaca's limits: REST calls per minute (each API) and stream symbols (ALPACA_REST_LIMIT, ALPACA_STREAM_SYMBOL_LIMIT). */
  limits: { restPerMinute: number; streamSymbols: number };
  /** DATA_DIR; files are not measured when omitted. */
  dataDir?: string;
  now?: () => Date;
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Usage and cost: business counts from the database, Alpaca calls per rolling minute and stream
 * symbols from the meter, storage per table and of DATA_DIR, and budgets with alerts before a limit.
 */
export class UsageService {
  /** The last report made (each ops tick and each GET), read by the Prometheus gauges. */
  latest: UsageReport | undefined;

  constructor(private readonly options: UsageServiceOptions) {}

  private get defaults(): Partial<Record<UsageMetric, number>> {
    const { restPerMinute, streamSymbols } = this.options.limits;
    return {
      alpaca_data_rest_per_minute: restPerMinute,
      alpaca_trading_rest_per_minute: restPerMinute,
      alpaca_stream_symbols: streamSymbols,
    };
  }

  /** Measures everything now. */
  async report(): Promise<UsageReport> {
    const now = (this.options.now ?? (() => new Date()))();
    const since = new Date(Date.parse(dayOf(new Date(now.getTime() - (DAYS - 1) * DAY_MS))));
    const [business, tables, files, stored] = await Promise.all([
      this.options.store.business(now, since),
      this.options.store.tableSizes(),
      this.options.dataDir === undefined
        ? Promise.resolve({ bytes: 0, truncated: false })
        : dirSize(this.options.dataDir),
      this.options.store.budgets(),
    ]);
    const days = Array.from({ length: DAYS }, (_, i) => {
      const day = dayOf(new Date(since.getTime() + i * DAY_MS));
      return business.days.find((d) => d.day === day) ?? { day, signups: 0, orders: 0, signalsFired: 0 };
    });
    const today = days.at(-1) ?? { signups: 0, orders: 0, signalsFired: 0 };
    const { meter } = this.options;
    const base: Omit<UsageReport, 'budgets'> = {
      at: now.toISOString(),
      business: {
        users: business.users,
        activeUsers: business.activeUsers,
        today: { signups: today.signups, orders: today.orders, signalsFired: today.signalsFired },
        days,
      },
      upstream: {
        provider: this.options.provider,
        restPerMinuteLimit: this.options.limits.restPerMinute,
        streamSymbolLimit: this.options.limits.streamSymbols,
        apis: APIS.map((api) => ({
          api,
          callsLastMinute: meter.callsLastMinute(api),
          callsTotal: meter.callsTotal(api),
        })),
        streamSymbols: meter.subscribedSymbols,
      },
      storage: {
        tables,
        databaseBytes: tables.reduce((sum, t) => sum + t.bytes, 0),
        filesBytes: files.bytes,
        filesTruncated: files.truncated,
      },
    };
    const report = { ...base, budgets: budgetsOf(usedOf(base), stored, this.defaults) };
    this.latest = report;
    return report;
  }

  /** Stores budgets (validated again here: the port is a boundary too). */
  async setBudgets(body: PutUsageBudgetsBody): Promise<UsageReport> {
    const { budgets } = PutBody.parse(body);
    await this.options.store.putBudgets(budgets, (this.options.now ?? (() => new Date()))());
    return this.report();
  }

  /**
   * Fires `usage:<metric>` for each budget at or past its warning level (critical once over the
   * limit) and resolves the ones back under it.
   */
  async evaluate(
    report: UsageReport,
    engine: AlertEngine,
    rule: { id: string; severity: 'info' | 'warning' | 'critical' },
    firingKeys: ReadonlySet<string>,
  ): Promise<void> {
    for (const budget of report.budgets) {
      const key = `usage:${budget.metric}`;
      if (budget.state === 'warning' || budget.state === 'over')
        await engine.fire({
          ruleId: rule.id,
          key,
          severity: budget.state === 'over' ? 'critical' : rule.severity,
          summary: budgetSummary(budget),
        });
      else if (firingKeys.has(key)) await engine.resolve(key);
    }
  }

  /** Prometheus gauges over the latest report (refreshed every ops tick) and the live meter. */
  registerMetrics(metrics: PulseMetrics): void {
    const latest = () => this.latest;
    metrics.gauge('usage_users', 'Users (accounts) in the database.', () => latest()?.business.users ?? 0);
    metrics.labelled('usage_active_users', 'Distinct users seen in the window.', ['window'], () => {
      const a = latest()?.business.activeUsers;
      return a ? Object.entries(a).map(([window, n]) => [{ window }, n]) : [];
    });
    metrics.labelled(
      'usage_today',
      'Sign-ups, orders placed and signals fired today (UTC).',
      ['kind'],
      () => {
        const t = latest()?.business.today;
        return t
          ? [
              [{ kind: 'signups' }, t.signups],
              [{ kind: 'orders' }, t.orders],
              [{ kind: 'signals_fired' }, t.signalsFired],
            ]
          : [];
      },
    );
    metrics.labelled(
      'usage_upstream_calls_last_minute',
      'Alpaca REST calls in the last 60 s, per API (this node).',
      ['api'],
      () => APIS.map((api) => [{ api }, this.options.meter.callsLastMinute(api)]),
    );
    metrics.gauge(
      'usage_stream_symbols',
      'Symbols subscribed on the market data stream.',
      () => this.options.meter.subscribedSymbols,
    );
    metrics.labelled('usage_table_bytes', 'Bytes per database table, indexes included.', ['table'], () =>
      (latest()?.storage.tables ?? []).map((t) => [{ table: t.table }, t.bytes]),
    );
    metrics.gauge(
      'usage_data_dir_bytes',
      'Bytes of the files in DATA_DIR.',
      () => latest()?.storage.filesBytes ?? 0,
    );
    metrics.labelled('usage_budget_ratio', 'Use of each budget (1 = at the limit).', ['metric'], () =>
      (latest()?.budgets ?? []).flatMap((b) => (b.ratio === null ? [] : [[{ metric: b.metric }, b.ratio]])),
    );
  }
}
