import { isApiError } from '../../api/api-error.js';
import { useFills } from './use-trading.js';

/** The account's fills, newest first. */
export function ActivityList() {
  const fills = useFills();
  const rows = fills.data ?? [];
  return (
    <section className="panel" aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      {isApiError(fills.error, 'TRADING_BROKER_UNSUPPORTED') ? (
        <p className="muted">Fills of your Alpaca account are listed in your Alpaca dashboard.</p>
      ) : fills.isError ? (
        <p className="alert">{fills.error.message}</p>
      ) : null}
      {fills.isSuccess && rows.length === 0 ? <p className="muted">No fills yet.</p> : null}
      {rows.length === 0 ? null : (
        <ol className="activity-list" aria-label="Fills">
          {rows.map((f) => (
            <li key={f.id}>
              <span className={f.side === 'buy' ? 'up' : 'down'}>{f.side === 'buy' ? 'Bought' : 'Sold'}</span>{' '}
              {f.qty} {f.symbol} @ {f.price}
              {f.type === 'partial_fill' ? (
                <span className="muted"> (partial, {f.leaves_qty} left)</span>
              ) : null}
              <time className="muted" dateTime={f.transaction_time}>
                {new Date(f.transaction_time).toLocaleString()}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
