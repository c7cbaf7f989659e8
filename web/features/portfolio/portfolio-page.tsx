import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { PortfolioHistoryJson } from '../../../contracts/trading.js';
import { useApi } from '../../api/api-context.js';
import { useTheme } from '../../app/theme-context.js';
import { formatExchangeDateTime, formatExchangeTick, formatPercent } from '../markets/format.js';
import { useAccount, useFills, useOrders, usePositions, useTradeUpdates } from '../trading/use-trading.js';
import { allocation, portfolioMetrics } from './portfolio-metrics.js';
import { downloadCsv, fillRows, orderRows, toCsv } from './to-csv.js';
import '../trading/trading.css';

// lightweight-charts loads in its own chunk, after the page.
const EquityChart = lazy(() => import('./equity-chart.js').then((m) => ({ default: m.EquityChart })));

const PERIODS = [
  { period: '1D', timeframe: '5Min', label: '1 day' },
  { period: '1W', timeframe: '1H', label: '1 week' },
  { period: '1M', timeframe: '1D', label: '1 month' },
] as const;

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', signDisplay: 'exceptZero' });
const plain = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const tone = (n: number): string | undefined => (n > 0 ? 'up' : n < 0 ? 'down' : undefined);

/** Portfolio: equity curve, return, drawdown and day P&L, allocation, and CSV exports. */
export function PortfolioPage() {
  useTradeUpdates();
  const api = useApi();
  const { resolved } = useTheme();
  const [choice, setChoice] = useState<(typeof PERIODS)[number]>(PERIODS[2]);
  const history = useQuery({
    queryKey: ['trading', 'history', choice.period],
    queryFn: () =>
      api.call(
        'GET',
        `/api/v1/portfolio/history?period=${choice.period}&timeframe=${choice.timeframe}`,
        PortfolioHistoryJson,
      ),
  });
  const account = useAccount();
  const positions = usePositions();
  const orders = useOrders('all');
  const fills = useFills();
  const metrics = history.data === undefined ? null : portfolioMetrics(history.data);
  const slices = allocation(positions.data ?? []);
  const stamp = new Date().toISOString().slice(0, 10);

  return (
    <div className="portfolio-grid">
      <section className="panel" aria-labelledby="equity-title">
        <div className="panel-header">
          <h2 id="equity-title">
            Equity{' '}
            {account.data === undefined ? null : (
              <span data-testid="equity">{plain.format(Number(account.data.equity))}</span>
            )}
          </h2>
          <div className="segmented" role="group" aria-label="Period">
            {PERIODS.map((p) => (
              <button
                key={p.period}
                type="button"
                aria-pressed={p === choice}
                title={p.label}
                onClick={() => setChoice(p)}
              >
                {p.period}
              </button>
            ))}
          </div>
        </div>
        {metrics === null ? null : (
          <dl className="metrics">
            <div>
              <dt>Total return</dt>
              <dd className={tone(metrics.totalReturn.amount)}>
                {usd.format(metrics.totalReturn.amount)} ({formatPercent(metrics.totalReturn.fraction)})
              </dd>
            </div>
            <div>
              <dt>Max drawdown</dt>
              <dd className={metrics.maxDrawdown.amount > 0 ? 'down' : undefined}>
                {formatPercent(-metrics.maxDrawdown.fraction)}
              </dd>
            </div>
            <div>
              <dt>Day P&amp;L</dt>
              <dd className={tone(metrics.dayPnl.amount)}>
                {usd.format(metrics.dayPnl.amount)} ({formatPercent(metrics.dayPnl.fraction)})
              </dd>
            </div>
          </dl>
        )}
        {history.isError ? <p className="alert">{history.error.message}</p> : null}
        {history.data !== undefined && history.data.timestamp.length === 0 ? (
          <p className="muted">No equity history for this period yet.</p>
        ) : null}
        <div className="equity-chart">
          <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
            {history.data === undefined ? null : (
              <EquityChart
                timestamp={history.data.timestamp}
                equity={history.data.equity}
                theme={resolved}
                formatTime={formatExchangeDateTime}
                formatTick={formatExchangeTick}
              />
            )}
          </Suspense>
        </div>
      </section>
      <div className="trade-books">
        <section className="panel" aria-labelledby="allocation-title">
          <h2 id="allocation-title">Allocation</h2>
          {positions.isSuccess && slices.length === 0 ? <p className="muted">No open positions.</p> : null}
          <ul className="allocation" aria-label="Allocation by symbol">
            {slices.map((s) => (
              <li key={s.symbol}>
                <span className="symbol">{s.symbol}</span>
                <span
                  className="allocation-bar"
                  style={{ width: `${Math.max(1, s.fraction * 100)}%` }}
                  aria-hidden="true"
                />
                <span>{(s.fraction * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="export-title">
          <h2 id="export-title">Export</h2>
          <div className="ticket-actions">
            <button
              type="button"
              className="button"
              disabled={orders.data === undefined}
              onClick={() => downloadCsv(`pulse-orders-${stamp}.csv`, toCsv(orderRows(orders.data ?? [])))}
            >
              Orders CSV
            </button>
            <button
              type="button"
              className="button"
              disabled={fills.data === undefined}
              onClick={() => downloadCsv(`pulse-fills-${stamp}.csv`, toCsv(fillRows(fills.data ?? [])))}
            >
              Fills CSV
            </button>
          </div>
        </section>
      </div>
    </div>
  );
}
