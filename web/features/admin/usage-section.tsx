import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type UsageBudget, type UsageMetric, UsageReport } from '../../../contracts/ops.js';
import { useApi } from '../../api/api-context.js';

const key = ['admin', 'usage'] as const;

const LABELS: Record<UsageMetric, string> = {
  alpaca_data_rest_per_minute: 'Alpaca market data calls / min',
  alpaca_trading_rest_per_minute: 'Alpaca Trading API calls / min',
  alpaca_stream_symbols: 'Alpaca stream symbols',
  database_mb: 'Database (MiB)',
  files_mb: 'DATA_DIR files (MiB)',
  orders_per_day: 'Orders today',
  signals_per_day: 'Signals fired today',
  signups_per_day: 'Sign-ups today',
};

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function BudgetRow({ budget }: { budget: UsageBudget }) {
  const label = LABELS[budget.metric];
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{budget.used}</td>
      <td>{budget.limit ?? '—'}</td>
      <td>
        {budget.limit !== null && (
          <meter
            aria-label={`${label}: ${Math.round((budget.ratio ?? 0) * 100)} % of budget`}
            min={0}
            max={budget.limit}
            low={budget.limit * budget.warnAt}
            high={budget.limit * budget.warnAt}
            optimum={0}
            value={Math.min(budget.used, budget.limit)}
          />
        )}{' '}
        {budget.ratio === null ? 'no budget' : `${Math.round(budget.ratio * 100)} %`}
      </td>
      <td>{budget.state}</td>
    </tr>
  );
}

function BudgetForm() {
  const api = useApi();
  const client = useQueryClient();
  const [metric, setMetric] = useState<UsageMetric>('database_mb');
  const [limit, setLimit] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.call('PUT', '/api/v1/admin/usage/budgets', UsageReport, {
        budgets: [{ metric, limit: limit.trim() === '' ? null : Number(limit) }],
      }),
    onSuccess: (report) => {
      setLimit('');
      client.setQueryData(key, report);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Set a usage budget">
      <label>
        Budget{' '}
        <select value={metric} onChange={(e) => setMetric(e.target.value as UsageMetric)}>
          {(Object.keys(LABELS) as UsageMetric[]).map((m) => (
            <option key={m} value={m}>
              {LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Limit (empty: none){' '}
        <input inputMode="decimal" value={limit} onChange={(e) => setLimit(e.target.value)} />
      </label>
      <button type="submit" disabled={save.isPending}>
        Save budget
      </button>
      {save.isError && <p role="alert">{save.error.message}</p>}
    </form>
  );
}

/** Usage and cost: business counts, Alpaca use against its limits, storage per table, budgets. */
export function UsageSection() {
  const api = useApi();
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.call('GET', '/api/v1/admin/usage', UsageReport),
    refetchInterval: 60_000,
  });
  const r = q.data;
  return (
    <section className="panel" aria-labelledby="admin-usage">
      <h2 id="admin-usage">Usage</h2>
      {q.isError && <p role="alert">{q.error.message}</p>}
      {r && (
        <>
          <p>
            {r.business.users} users · active {r.business.activeUsers['24h']} (24 h),{' '}
            {r.business.activeUsers['7d']} (7 d), {r.business.activeUsers['30d']} (30 d) · today{' '}
            {r.business.today.signups} sign-ups, {r.business.today.orders} orders,{' '}
            {r.business.today.signalsFired} signals fired
          </p>
          <p>
            Market data: {r.upstream.provider} · Alpaca calls in the last minute:{' '}
            {r.upstream.apis.map((a) => `${a.api.replace('alpaca_', '')} ${a.callsLastMinute}`).join(', ')} of{' '}
            {r.upstream.restPerMinuteLimit} each · stream symbols {r.upstream.streamSymbols} of{' '}
            {r.upstream.streamSymbolLimit}
          </p>
          <h3>Budgets</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Used</th>
                <th scope="col">Limit</th>
                <th scope="col">Use</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {r.budgets.map((b) => (
                <BudgetRow key={b.metric} budget={b} />
              ))}
            </tbody>
          </table>
          <BudgetForm />
          <h3>Storage</h3>
          <p>
            Database {bytes(r.storage.databaseBytes)} · DATA_DIR files {bytes(r.storage.filesBytes)}
            {r.storage.filesTruncated && ' (at least)'}
          </p>
          <details>
            <summary>Per table</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                {r.storage.tables.map((t) => (
                  <tr key={t.table}>
                    <td>{t.table}</td>
                    <td>{bytes(t.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          <details>
            <summary>Last 30 days</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">Day (UTC)</th>
                  <th scope="col">Sign-ups</th>
                  <th scope="col">Orders</th>
                  <th scope="col">Signals fired</th>
                </tr>
              </thead>
              <tbody>
                {r.business.days.map((d) => (
                  <tr key={d.day}>
                    <td>{d.day}</td>
                    <td>{d.signups}</td>
                    <td>{d.orders}</td>
                    <td>{d.signalsFired}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
