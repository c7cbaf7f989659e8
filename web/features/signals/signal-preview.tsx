import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import type { FiringMode, RuleBar } from '../../../core/signals/index.js';
import { useApi } from '../../api/api-context.js';
import { useTheme } from '../../app/theme-context.js';
import { formatExchangeDateTime, formatExchangeTick } from '../markets/format.js';
import { formatValues, type ChartMarker } from './backtest-report.js';
import type { MarkerCandle } from './marker-chart.js';
import { previewFirings } from './rule-check.js';

// lightweight-charts loads in its own chunk, when a chart is first shown.
const MarkerChart = lazy(() => import('./marker-chart.js').then((m) => ({ default: m.MarkerChart })));

/** Bars of history the preview looks over, after the rule's warm-up. */
export const PREVIEW_BARS = 500;

/** Bars to ask for: the preview window plus the warm-up, in steps of 500 so typing does not refetch. */
export function previewLimit(warmup: number): number {
  return Math.min(10_000, Math.ceil((PREVIEW_BARS + warmup) / 500) * 500);
}

/** Props of {@link SignalPreview}. */
export interface SignalPreviewProps {
  symbol: string | null;
  timeframe: string;
  /** A rule that checks (null while it does not). */
  source: string | null;
  warmup: number;
  mode: FiringMode;
  cooldownBars: number;
}

/**
 * Where the rule would have fired over the last closed bars of the first symbol: evaluated in the
 * browser with the same engine and firing policy as the live signals, drawn as markers on candles,
 * and listed as text for those who do not see the chart.
 */
export function SignalPreview({ symbol, timeframe, source, warmup, mode, cooldownBars }: SignalPreviewProps) {
  const api = useApi();
  const { resolved } = useTheme();
  const limit = previewLimit(warmup);
  const bars = useQuery({
    queryKey: ['signals', 'preview-bars', symbol ?? '', timeframe, limit],
    enabled: symbol !== null,
    staleTime: 30_000,
    queryFn: async ({ signal }) => {
      const answer = await api.getBars({ symbols: [symbol ?? ''], timeframe, limit }, signal);
      const wire = answer.bars[symbol ?? ''] ?? [];
      // The last bar may still be forming: the live engine only evaluates closed bars.
      return wire
        .slice(0, -1)
        .map((b): RuleBar => ({ t: Date.parse(b.t), o: b.o, h: b.h, l: b.l, c: b.c, v: b.v }))
        .filter((b) => Number.isFinite(b.t))
        .sort((a, b) => a.t - b.t);
    },
  });
  const data = bars.data;
  const result = useMemo(
    () =>
      source === null || data === undefined
        ? null
        : previewFirings(source, { timeframe, mode, cooldownBars }, data),
    [source, data, timeframe, mode, cooldownBars],
  );
  const shown = useMemo(() => (data ?? []).slice(-PREVIEW_BARS), [data]);
  const candles = useMemo(
    (): MarkerCandle[] =>
      shown.map((b) => ({ time: Math.floor(b.t / 1000), open: b.o, high: b.h, low: b.l, close: b.c })),
    [shown],
  );
  const from = shown[0]?.t ?? Number.POSITIVE_INFINITY;
  const firings = useMemo(
    () => (result !== null && result.ok ? result.firings.filter((f) => f.t >= from) : []),
    [result, from],
  );
  const markers = useMemo(
    (): ChartMarker[] =>
      firings.map((f) => ({
        time: Math.floor(f.t / 1000),
        position: 'aboveBar',
        shape: 'arrowDown',
        tone: 'accent',
        text: '',
      })),
    [firings],
  );

  let summary: string;
  if (symbol === null) summary = 'Add a symbol to preview the rule.';
  else if (bars.isError) summary = `Could not load ${symbol} bars: ${bars.error.message}`;
  else if (data === undefined) summary = `Loading ${symbol} ${timeframe} bars…`;
  else if (source === null) summary = 'Fix the rule to see where it would have fired.';
  else
    summary = `Would have fired ${firings.length} time${firings.length === 1 ? '' : 's'} over the last ${shown.length} closed ${timeframe} bars of ${symbol}.`;

  return (
    <section className="signal-preview" aria-labelledby="preview-title">
      <h3 id="preview-title">Preview</h3>
      <p data-testid="preview-summary" aria-live="polite">
        {summary}
      </p>
      <div className="preview-chart" data-testid="preview-chart" data-markers={markers.length}>
        <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
          {candles.length === 0 ? null : (
            <MarkerChart
              candles={candles}
              markers={markers}
              theme={resolved}
              formatTime={formatExchangeDateTime}
              formatTick={formatExchangeTick}
            />
          )}
        </Suspense>
      </div>
      {firings.length === 0 ? null : (
        <details>
          <summary>Latest firings in the preview</summary>
          <ol className="preview-firings" reversed>
            {firings
              .slice(-10)
              .reverse()
              .map((f) => (
                <li key={f.t}>
                  <time dateTime={new Date(f.t).toISOString()}>{formatExchangeDateTime(f.t / 1000)}</time>:{' '}
                  {formatValues(f.values)}
                </li>
              ))}
          </ol>
        </details>
      )}
    </section>
  );
}
