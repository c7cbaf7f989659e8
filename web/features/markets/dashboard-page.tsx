import { useState } from 'react';
import { useStreamStatus } from '../../api/stream-context.js';
import { useTheme } from '../../app/theme-context.js';
import { LazyCandleChart } from '../../ui/chart/lazy-candle-chart.js';
import { SourceBadge } from '../../ui/source-badge.js';
import { dayChange } from './day-change.js';
import { formatChange, formatExchangeDateTime, formatExchangeTime, formatPrice } from './format.js';
import { SymbolPicker } from './symbol-picker.js';
import { useLiveCandles } from './use-live-candles.js';

/** The symbol the dashboard opens with. */
export const DEFAULT_SYMBOL = 'AAPL';

const streamLabels = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
} as const;

/** Dashboard: a symbol picker and its live 1-minute candlestick chart. */
export function DashboardPage() {
  const [symbol, setSymbol] = useState(DEFAULT_SYMBOL);
  const { candles, source, loaded, error } = useLiveCandles(symbol);
  const status = useStreamStatus();
  const { resolved } = useTheme();
  const summary = dayChange(candles);

  return (
    <>
      <div className="page-header">
        <SymbolPicker value={symbol} onChange={setSymbol} />
        <span className="stream-status" data-status={status} role="status">
          {streamLabels[status]}
        </span>
      </div>
      <section className="panel chart-panel" aria-labelledby="quote-symbol">
        <div className="quote">
          <h2 className="quote-symbol" id="quote-symbol">
            {symbol}
          </h2>
          {source === null ? null : <SourceBadge source={source} />}
          {summary === null ? null : (
            <>
              <span className="quote-price" data-testid="last-close">
                {formatPrice(summary.last.close)}
              </span>
              <span
                className={`quote-change ${summary.change >= 0 ? 'up' : 'down'}`}
                title={`Since ${formatExchangeDateTime(summary.since.time)}`}
              >
                {formatChange(summary.change, summary.since.open)}
                <span className="visually-hidden"> since {formatExchangeTime(summary.since.time)}</span>
              </span>
              <time
                className="quote-time"
                data-testid="last-time"
                dateTime={new Date(summary.last.time * 1000).toISOString()}
              >
                {formatExchangeDateTime(summary.last.time)}
              </time>
            </>
          )}
        </div>
        {error === null ? null : (
          <div className="alert" role="alert">
            Could not load {symbol} prices: {error.message}
          </div>
        )}
        <figure className="price-chart" data-testid="price-chart">
          <figcaption className="visually-hidden">
            {symbol} one-minute candlestick chart, exchange time
          </figcaption>
          {!loaded && error === null ? <div className="chart-placeholder">Loading prices…</div> : null}
          {loaded && candles.length === 0 ? (
            <div className="chart-placeholder">No bars yet for {symbol}.</div>
          ) : null}
          {candles.length > 0 ? (
            <LazyCandleChart
              candles={candles}
              theme={resolved}
              formatTime={formatExchangeDateTime}
              formatTick={formatExchangeTime}
            />
          ) : null}
        </figure>
      </section>
    </>
  );
}
