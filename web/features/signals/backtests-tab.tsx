import { useQuery } from '@tanstack/react-query';
import {
  lazy,
  Suspense,
  useDeferredValue,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
} from 'react';
import { CreateBacktestBody, type Backtest, type BacktestReport } from '../../../contracts/signals.js';
import { useApi } from '../../api/api-context.js';
import { useTheme } from '../../app/theme-context.js';
import { TextField } from '../../ui/text-field.js';
import { formatExchangeDateTime, formatExchangeTick } from '../markets/format.js';
import { ChoiceGroup } from '../trading/choice-group.js';
import { SelectField } from '../trading/select-field.js';
import {
  backtestBody,
  defaultBacktestDraft,
  draftFromRequest,
  type BacktestDraft,
  type BacktestField,
} from './backtest-form.js';
import { equitySeries, formatValues, metricRows, pct, tradeMarkers, usd } from './backtest-report.js';
import { checkRuleText } from './rule-check.js';
import { RuleEditor } from './rule-editor.js';
import { TIMEFRAMES } from './signal-form.js';
import { useBacktest, useBacktestActions, useBacktests } from './use-signals.js';

// lightweight-charts loads in its own chunk, when a chart is first shown.
const MarkerChart = lazy(() => import('./marker-chart.js').then((m) => ({ default: m.MarkerChart })));
const EquityChart = lazy(() =>
  import('../portfolio/equity-chart.js').then((m) => ({ default: m.EquityChart })),
);

const dash = '—';
const when = (ms: number | null) => (ms === null ? dash : formatExchangeDateTime(ms / 1000));

/** Backtests: the form, the running job's progress, its report, and past runs to reopen. */
export function BacktestsTab({
  backtestId,
  onOpen,
}: {
  backtestId: string | null;
  onOpen: (id: string) => void;
}) {
  const [draft, setDraft] = useState<BacktestDraft>(() => defaultBacktestDraft());
  return (
    <div className="signals-layout">
      <div className="signals-stack">
        <BacktestForm draft={draft} setDraft={setDraft} onStarted={onOpen} />
        <PastBacktests
          current={backtestId}
          onOpen={onOpen}
          onLoad={(request) => setDraft((d) => draftFromRequest(request, d))}
        />
      </div>
      {backtestId === null ? (
        <section className="panel" aria-labelledby="report-title">
          <h2 id="report-title">Report</h2>
          <p className="muted">Run a backtest, or open a past one, to see its report.</p>
        </section>
      ) : (
        <BacktestView id={backtestId} />
      )}
    </div>
  );
}

function BacktestForm({
  draft,
  setDraft,
  onStarted,
}: {
  draft: BacktestDraft;
  setDraft: (d: BacktestDraft) => void;
  onStarted: (id: string) => void;
}) {
  const { start } = useBacktestActions();
  const [errors, setErrors] = useState<Partial<Record<BacktestField, string>>>({});
  const formId = useId();
  const entry = useDeferredValue(draft.entry);
  const exit = useDeferredValue(draft.exit);
  const entryVerdict = useMemo(() => checkRuleText(entry, draft.timeframe), [entry, draft.timeframe]);
  const exitVerdict = useMemo(() => checkRuleText(exit, draft.timeframe), [exit, draft.timeframe]);
  const set = <K extends keyof BacktestDraft>(key: K, value: BacktestDraft[K]) =>
    setDraft({ ...draft, [key]: value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const mapped = backtestBody(draft);
    const rulesOk =
      checkRuleText(draft.entry, draft.timeframe).ok &&
      (draft.exit.trim() === '' || checkRuleText(draft.exit, draft.timeframe).ok);
    if (!mapped.ok) setErrors(mapped.errors);
    else setErrors({});
    if (!mapped.ok || !rulesOk) return;
    start.mutate(mapped.body, { onSuccess: (job) => onStarted(job.id) });
  };

  return (
    <section className="panel" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>New backtest</h2>
      <form onSubmit={submit} noValidate>
        <div className="ticket-row">
          <TextField
            label="Symbol"
            value={draft.symbol}
            autoCapitalize="characters"
            error={errors.symbol ?? null}
            onChange={(e) => set('symbol', e.target.value)}
          />
          <SelectField
            label="Timeframe"
            value={draft.timeframe}
            options={TIMEFRAMES.map((t) => ({ value: t, label: t }))}
            onChange={(e) => set('timeframe', e.target.value)}
          />
        </div>
        <div className="ticket-row">
          <TextField
            label="From"
            type="date"
            value={draft.from}
            error={errors.from ?? null}
            onChange={(e) => set('from', e.target.value)}
          />
          <TextField
            label="To"
            type="date"
            value={draft.to}
            error={errors.to ?? null}
            onChange={(e) => set('to', e.target.value)}
          />
        </div>
        <RuleEditor
          label="Entry rule"
          value={draft.entry}
          verdict={entryVerdict}
          onChange={(v) => set('entry', v)}
        />
        {errors.entry === undefined ? null : <p className="field-error down">{errors.entry}</p>}
        <RuleEditor
          label="Exit rule"
          value={draft.exit}
          verdict={exitVerdict}
          optional
          hint="Optional: without one, a position is held to the end."
          onChange={(v) => set('exit', v)}
        />
        <ChoiceGroup
          legend="Side"
          name={`${formId}-side`}
          value={draft.side}
          options={[
            { value: 'long', label: 'Long' },
            { value: 'short', label: 'Short' },
          ]}
          onChange={(v) => set('side', v)}
        />
        <ChoiceGroup
          legend="Position size"
          name={`${formId}-sizing`}
          value={draft.sizing}
          options={[
            { value: 'pct', label: '% of equity' },
            { value: 'qty', label: 'Fixed quantity' },
          ]}
          onChange={(v) => set('sizing', v)}
        />
        {draft.sizing === 'qty' ? (
          <TextField
            label="Quantity"
            inputMode="decimal"
            value={draft.qty}
            error={errors.qty ?? null}
            onChange={(e) => set('qty', e.target.value)}
          />
        ) : (
          <TextField
            label="Percent of equity"
            inputMode="decimal"
            value={draft.pctEquity}
            error={errors.pctEquity ?? null}
            onChange={(e) => set('pctEquity', e.target.value)}
          />
        )}
        <TextField
          label="Initial cash"
          inputMode="decimal"
          value={draft.initialCash}
          error={errors.initialCash ?? null}
          onChange={(e) => set('initialCash', e.target.value)}
        />
        <div className="ticket-row">
          <TextField
            label="Slippage (bps)"
            inputMode="decimal"
            value={draft.slippageBps}
            error={errors.slippageBps ?? null}
            onChange={(e) => set('slippageBps', e.target.value)}
          />
          <TextField
            label="Commission per fill"
            inputMode="decimal"
            value={draft.commission}
            error={errors.commission ?? null}
            onChange={(e) => set('commission', e.target.value)}
          />
        </div>
        {start.error === null ? null : (
          <p className="alert" role="alert">
            {start.error.message}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : 'Run backtest'}
        </button>
      </form>
    </section>
  );
}

/** What a stored request was, in one line: `AAPL 1Hour 2026-10-01 → 2026-11-20`. */
function requestLine(request: unknown): string {
  const parsed = CreateBacktestBody.safeParse(request);
  if (!parsed.success) return dash;
  const r = parsed.data;
  return `${r.symbol} ${r.timeframe} ${r.from} → ${r.to}`;
}

function PastBacktests({
  current,
  onOpen,
  onLoad,
}: {
  current: string | null;
  onOpen: (id: string) => void;
  onLoad: (request: unknown) => void;
}) {
  const list = useBacktests();
  const rows = list.data ?? [];
  return (
    <section className="panel" aria-labelledby="past-backtests-title">
      <h2 id="past-backtests-title">Past backtests</h2>
      {list.isError ? <p className="alert">{list.error.message}</p> : null}
      {list.isSuccess && rows.length === 0 ? <p className="muted">None yet.</p> : null}
      {rows.length === 0 ? null : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Past backtests</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Result</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id} aria-current={b.id === current ? 'true' : undefined}>
                  <th scope="row">
                    {requestLine(b.request)}
                    <br />
                    <span className="muted">{new Date(b.createdAt).toLocaleString()}</span>
                  </th>
                  <td>{b.result === null ? b.status : pct(b.result.metrics.totalReturn, true)}</td>
                  <td>
                    <div className="row-actions stacked-actions">
                      <button
                        type="button"
                        className="button"
                        aria-label={`Open backtest ${requestLine(b.request)}`}
                        onClick={() => onOpen(b.id)}
                      >
                        Open
                      </button>
                      <button type="button" className="button" onClick={() => onLoad(b.request)}>
                        Edit copy
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BacktestView({ id }: { id: string }) {
  const job = useBacktest(id);
  const { cancel } = useBacktestActions();
  const heading = useRef<HTMLHeadingElement>(null);
  const b: Backtest | undefined = job.data;
  const status = b?.status;
  useEffect(() => {
    if (status === 'done') heading.current?.focus();
  }, [status]);

  return (
    <section className="panel backtest-report" aria-labelledby="report-title">
      <h2 id="report-title" ref={heading} tabIndex={-1}>
        Report{b === undefined ? '' : `: ${requestLine(b.request)}`}
      </h2>
      {job.isError ? <p className="alert">{job.error.message}</p> : null}
      {b === undefined ? null : (
        <>
          <p role="status" data-testid="backtest-status">
            {b.status === 'queued'
              ? 'Queued…'
              : b.status === 'running'
                ? `Running: ${Math.round(b.progress * 100)}%`
                : b.status === 'done'
                  ? 'Done.'
                  : b.status === 'canceled'
                    ? 'Canceled.'
                    : `Failed: ${b.error?.message ?? 'unknown error'}`}
          </p>
          {b.status === 'queued' || b.status === 'running' ? (
            <div className="backtest-progress">
              <progress max={1} value={b.progress} aria-label="Backtest progress" />
              <button
                type="button"
                className="button"
                disabled={cancel.isPending}
                onClick={() => cancel.mutate(b.id)}
              >
                Cancel backtest
              </button>
            </div>
          ) : null}
          {cancel.error === null ? null : (
            <p className="alert" role="alert">
              {cancel.error.message}
            </p>
          )}
          {b.result === null ? null : <ReportBody report={b.result} request={b.request} />}
        </>
      )}
    </section>
  );
}

function ReportBody({ report, request }: { report: BacktestReport; request: unknown }) {
  const { resolved } = useTheme();
  const api = useApi();
  const rows = metricRows(report);
  const equity = useMemo(() => equitySeries(report), [report]);
  const markers = useMemo(() => tradeMarkers(report), [report]);
  const parsed = CreateBacktestBody.safeParse(request);
  const symbol = parsed.success ? parsed.data.symbol : null;
  const timeframe = parsed.success ? parsed.data.timeframe : '1Hour';
  const bars = useQuery({
    queryKey: ['backtests', 'bars', symbol ?? '', timeframe, report.from, report.to],
    enabled: symbol !== null && report.from !== null && report.to !== null,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const answer = await api.getBars(
        {
          symbols: [symbol ?? ''],
          timeframe,
          start: new Date(report.from ?? 0).toISOString(),
          end: new Date((report.to ?? 0) + 1).toISOString(),
          limit: 10_000,
        },
        signal,
      );
      return (answer.bars[symbol ?? ''] ?? []).map((w) => ({
        time: Math.floor(Date.parse(w.t) / 1000),
        open: w.o,
        high: w.h,
        low: w.l,
        close: w.c,
      }));
    },
  });

  return (
    <>
      <p className="muted">
        {report.bars} bars, {when(report.from)} to {when(report.to)}; cash {usd(report.initialCash)} →{' '}
        {usd(report.finalCash)}
        {report.pendingAtEnd === null ? '' : `; an ${report.pendingAtEnd} signal was pending at the end`}.
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Metrics table">
        <table className="data-table metrics-table" data-testid="backtest-metrics">
          <caption>Metrics</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Strategy</th>
              <th scope="col">Buy and hold</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-metric={r.key}>
                <th scope="row">{r.label}</th>
                <td className={r.tone}>{r.value}</td>
                <td>{r.buyAndHold ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Equity</h3>
      <div className="equity-chart">
        <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
          {equity.timestamp.length === 0 ? null : (
            <EquityChart
              timestamp={equity.timestamp}
              equity={equity.equity}
              theme={resolved}
              formatTime={formatExchangeDateTime}
              formatTick={formatExchangeTick}
            />
          )}
        </Suspense>
      </div>
      <h3>Trades on the chart</h3>
      <div className="preview-chart" data-testid="trades-chart" data-markers={markers.length}>
        <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
          {bars.data === undefined || bars.data.length === 0 ? null : (
            <MarkerChart
              candles={bars.data}
              markers={markers}
              theme={resolved}
              formatTime={formatExchangeDateTime}
              formatTick={formatExchangeTick}
            />
          )}
        </Suspense>
      </div>
      {bars.isError ? <p className="alert">{bars.error.message}</p> : null}
      <h3 id="trades-title">Trades ({report.trades.length})</h3>
      {report.trades.length === 0 ? (
        <p className="muted">No trades: the entry rule never fired in this period.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Trades table">
          <table className="data-table" aria-labelledby="trades-title" data-testid="backtest-trades">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Side</th>
                <th scope="col">Qty</th>
                <th scope="col">Entry</th>
                <th scope="col">Entry price</th>
                <th scope="col">Exit</th>
                <th scope="col">Exit price</th>
                <th scope="col">Bars</th>
                <th scope="col">Commission</th>
                <th scope="col">P&amp;L</th>
                <th scope="col">Return</th>
                <th scope="col">Entry values</th>
              </tr>
            </thead>
            <tbody>
              {report.trades.map((t, i) => {
                const pnl = t.pnl === null ? null : Number(t.pnl);
                return (
                  <tr key={`${t.entryAt}-${i}`}>
                    <th scope="row">{i + 1}</th>
                    <td className={t.side === 'long' ? 'up' : 'down'}>{t.side}</td>
                    <td>{t.qty}</td>
                    <td>{when(t.entryAt)}</td>
                    <td>{t.entryPrice}</td>
                    <td>{t.exitAt === null ? 'open' : when(t.exitAt)}</td>
                    <td>{t.exitPrice ?? dash}</td>
                    <td>{t.bars}</td>
                    <td>{usd(t.commission)}</td>
                    <td className={pnl === null || pnl === 0 ? undefined : pnl > 0 ? 'up' : 'down'}>
                      {usd(t.pnl, true)}
                    </td>
                    <td>{pct(t.returnPct, true)}</td>
                    <td className="values-cell">{formatValues(t.entryValues)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
