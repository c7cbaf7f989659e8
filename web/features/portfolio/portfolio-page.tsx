import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { PortfolioHistoryJson } from '../../../contracts/trading.js';
import { useApi } from '../../api/api-context.js';
import { useTheme } from '../../app/theme-context.js';
import { formatExchangeDateTime, formatExchangeTick, formatPercent } from '../markets/format.js';
import { useAccount, useFills, useOrders, usePositions, useTradeUpdates } from '../trading/use-trading.js';
import {
  compareWithBenchmark,
  dailyCloses,
  dailyPnl,
  exposure,
  riskFigures,
  sectorAllocation,
} from './performance.js';
import { allocation, portfolioMetrics } from './portfolio-metrics.js';
import { downloadCsv, fillRows, orderRows, toCsv } from './to-csv.js';
import '../trading/trading.css';

// lightweight-charts loads in its own chunk, after the page.
const EquityChart = lazy(() => import('./equity-chart.js').then((m) => ({ default: m.EquityChart })));

const PERIODS = [
  { period: '1D', timeframe: '5Min', label: '1 day', days: 1 },
  { period: '1W', timeframe: '1H', label: '1 week', days: 7 },
  { period: '1M', timeframe: '1D', label: '1 month', days: 31 },
  { period: '3M', timeframe: '1D', label: '3 months', days: 92 },
  { period: '1A', timeframe: '1D', label: '1 year', days: 366 },
] as const;

/** What the account is compared with: the S&P 500 ETF. */
const BENCHMARK = 'SPY';
const ratio = (x: number | null): string => (x === null ? '—' : x.toFixed(2));

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', signDisplay: 'exceptZero' });
const plain = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const tone = (n: number): string | undefined => (n > 0 ? 'up' : n < 0 ? 'down' : undefined);

/**
 * Portfolio: equity curve against a benchmark, return, time-weighted return, drawdown, Sharpe and Sortino, exposure,
 * daily P&L, allocation by symbol or sector, and CSV exports.
 */
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
  const benchmarkBars = useQuery({
    queryKey: ['bars', BENCHMARK, '1Day', choice.period],
    queryFn: ({ signal }) =>
      api.getBars(
        {
          symbols: [BENCHMARK],
          timeframe: '1Day',
          start: new Date(Date.now() - (choice.days + 7) * 86_400_000).toISOString(),
          limit: 400,
        },
        signal,
      ),
  });
  const assets = useQuery({
    queryKey: ['assets', 'all'],
    queryFn: ({ signal }) => api.searchAssets('', signal),
    staleTime: Infinity,
  });
  const account = useAccount();
  const positions = usePositions();
  const orders = useOrders('all');
  const fills = useFills();
  const [allocationBy, setAllocationBy] = useState<'symbol' | 'sector'>('symbol');
  const metrics = history.data === undefined ? null : portfolioMetrics(history.data);
  const base = history.data === undefined ? 0 : history.data.base_value || (history.data.equity[0] ?? 0);
  const closes = history.data === undefined ? [] : dailyCloses(history.data);
  const risk = closes.length === 0 ? null : riskFigures(closes, base);
  const days = dailyPnl(closes, base).slice(0, 10);
  const benchmark = compareWithBenchmark(BENCHMARK, closes, base, benchmarkBars.data?.bars[BENCHMARK] ?? []);
  const equity = account.data === undefined ? 0 : Number(account.data.equity);
  const exposed = exposure(positions.data ?? [], equity);
  const slices = allocation(positions.data ?? []);
  const sectors = sectorAllocation(
    positions.data ?? [],
    new Map((assets.data ?? []).map((a) => [a.symbol, a.sector])),
  );
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
            {risk === null ? null : (
              <>
                <div>
                  <dt>Time-weighted return</dt>
                  <dd className={tone(risk.timeWeightedReturn)}>{formatPercent(risk.timeWeightedReturn)}</dd>
                </div>
                <div>
                  <dt title={`Annualised from ${risk.days} daily returns`}>Sharpe</dt>
                  <dd data-testid="sharpe">{ratio(risk.sharpe)}</dd>
                </div>
                <div>
                  <dt title={`Annualised from ${risk.days} daily returns`}>Sortino</dt>
                  <dd data-testid="sortino">{ratio(risk.sortino)}</dd>
                </div>
              </>
            )}
            <div>
              <dt title="Long plus short market value against equity; net is long minus short">Exposure</dt>
              <dd data-testid="exposure">{`${formatPercent(exposed.gross)} gross, ${formatPercent(exposed.net)} net`}</dd>
            </div>
            {benchmark === null ? null : (
              <div>
                <dt>vs {benchmark.symbol}</dt>
                <dd className={tone(benchmark.excessReturn)} data-testid="benchmark">
                  {formatPercent(benchmark.excessReturn)} ({benchmark.symbol}{' '}
                  {formatPercent(benchmark.benchmarkReturn)})
                </dd>
              </div>
            )}
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
                benchmark={benchmark === null ? null : { label: benchmark.symbol, points: benchmark.curve }}
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
          <div className="panel-header">
            <h2 id="allocation-title">Allocation</h2>
            <div className="segmented" role="group" aria-label="Allocation by">
              {(['symbol', 'sector'] as const).map((by) => (
                <button
                  key={by}
                  type="button"
                  aria-pressed={allocationBy === by}
                  onClick={() => setAllocationBy(by)}
                >
                  By {by}
                </button>
              ))}
            </div>
          </div>
          {positions.isSuccess && slices.length === 0 ? <p className="muted">No open positions.</p> : null}
          <ul className="allocation" aria-label={`Allocation by ${allocationBy}`}>
            {(allocationBy === 'symbol'
              ? slices.map((s) => ({
                  key: s.symbol,
                  label: s.symbol,
                  fraction: s.fraction,
                  title: undefined,
                }))
              : sectors.map((s) => ({
                  key: s.sector,
                  label: s.sector,
                  fraction: s.fraction,
                  title: s.symbols.join(', '),
                }))
            ).map((s) => (
              <li key={s.key} title={s.title}>
                <span className="symbol">{s.label}</span>
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
        <section className="panel" aria-labelledby="daily-pnl-title">
          <h2 id="daily-pnl-title">Daily P&amp;L</h2>
          {days.length === 0 ? <p className="muted">No closed trading days in this period yet.</p> : null}
          <table className="data-table">
            <caption className="visually-hidden">Profit or loss per exchange day, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">P&amp;L</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <td>{d.day}</td>
                  <td className={tone(d.amount)}>{usd.format(d.amount)}</td>
                  <td className={tone(d.amount)}>{formatPercent(d.fraction)}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
