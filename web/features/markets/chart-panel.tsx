import { useCallback } from 'react';
import { useTheme } from '../../app/theme-context.js';
import { LazyCandleChart } from '../../ui/chart/lazy-candle-chart.js';
import { SourceBadge } from '../../ui/source-badge.js';
import { dayChange } from './candles/day-change.js';
import { useChartCandles } from './candles/use-chart-candles.js';
import { useLiveCandles } from './candles/use-live-candles.js';
import {
  formatChange,
  formatExchangeDate,
  formatExchangeDateTime,
  formatExchangeTick,
  formatExchangeTime,
  formatPrice,
  formatSignedPrice,
  formatVolume,
} from './format.js';

/** The timeframes the chart offers, with their button labels. */
export const TIMEFRAMES = [
  { value: '1Min', label: '1m', title: '1-minute bars' },
  { value: '5Min', label: '5m', title: '5-minute bars' },
  { value: '15Min', label: '15m', title: '15-minute bars' },
  { value: '1Hour', label: '1h', title: 'Hourly bars' },
  { value: '1Day', label: '1D', title: 'Daily bars' },
] as const;

/** Props of {@link ChartPanel}. */
export interface ChartPanelProps {
  symbol: string;
  timeframe: string;
  onTimeframe: (timeframe: string) => void;
}

/** The chart of one symbol: last price and change, timeframe switch, data-source badge, candles with volume. */
export function ChartPanel({ symbol, timeframe, onTimeframe }: ChartPanelProps) {
  const live = useLiveCandles(symbol, timeframe);
  const { candles, source, loaded, error, loadOlder } = live;
  const chartCandles = useChartCandles(candles, timeframe);
  const { resolved } = useTheme();
  const summary = dayChange(candles);
  const daily = timeframe === '1Day';
  const onNearLeftEdge = useCallback(() => loadOlder(), [loadOlder]);
  const label = TIMEFRAMES.find((t) => t.value === timeframe)?.title ?? timeframe;

  return (
    <section className="panel chart-panel" aria-labelledby="quote-symbol">
      <div className="quote">
        <h2 className="quote-symbol" id="quote-symbol">
          {symbol}
        </h2>
        {summary === null ? null : (
          <>
            <span className="quote-price" data-testid="last-close">
              {formatPrice(summary.last.close)}
            </span>
            {daily ? null : (
              <span
                className={`quote-change ${summary.change >= 0 ? 'up' : 'down'}`}
                title={`Since ${formatExchangeDateTime(summary.since.time)}`}
              >
                {formatChange(summary.change, summary.since.open)}
                <span className="visually-hidden"> since {formatExchangeTime(summary.since.time)}</span>
              </span>
            )}
            <time
              className="quote-time"
              data-testid="last-time"
              dateTime={new Date(summary.last.time * 1000).toISOString()}
            >
              {daily ? formatExchangeDate(summary.last.time) : formatExchangeDateTime(summary.last.time)}
            </time>
          </>
        )}
      </div>
      <div className="chart-toolbar">
        <div role="group" aria-label="Timeframe" className="segmented">
          {TIMEFRAMES.map((t) => (
            <button
              key={t.value}
              type="button"
              title={t.title}
              aria-pressed={t.value === timeframe}
              onClick={() => onTimeframe(t.value)}
            >
              {t.label}
            </button>
          ))}
        </div>
        {source === null ? null : <SourceBadge source={source} />}
        {live.loadingOlder ? <span className="muted">Loading older bars…</span> : null}
      </div>
      {error === null ? null : (
        <div className="alert" role="alert">
          Could not load {symbol} prices: {error.message}
        </div>
      )}
      <figure
        className="price-chart"
        data-testid="price-chart"
        data-timeframe={timeframe}
        data-bars={candles.length}
      >
        <figcaption className="visually-hidden">
          {symbol} candlestick chart, {label.toLowerCase()}, with volume; times in exchange time (New York).
          Extended-hours bars are drawn paler.
        </figcaption>
        {!loaded && error === null ? <div className="chart-placeholder">Loading prices…</div> : null}
        {loaded && candles.length === 0 ? (
          <div className="chart-placeholder">No bars yet for {symbol}.</div>
        ) : null}
        {candles.length > 0 ? (
          <LazyCandleChart
            candles={chartCandles}
            theme={resolved}
            formatTime={daily ? formatExchangeDate : formatExchangeDateTime}
            formatTick={formatExchangeTick}
            formatPrice={formatPrice}
            formatVolume={formatVolume}
            formatChange={formatSignedPrice}
            onNearLeftEdge={onNearLeftEdge}
          />
        ) : null}
      </figure>
    </section>
  );
}
