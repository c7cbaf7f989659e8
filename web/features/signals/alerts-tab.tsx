import { useId, useState } from 'react';
import { DeliveryStatus, type Delivery } from '../../../contracts/notify.js';
import { formatExchangeDateTime } from '../markets/format.js';
import { formatValues } from './backtest-report.js';
import { channelTypeLabel } from './channel-form.js';
import { useChannels, useDeliveries, useFirings, useSignalList } from './use-signals.js';

const dash = '—';
const price = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 4 });

/** A delivery's status as a badge, with why it failed or when it goes next. */
export function DeliveryBadge({ delivery }: { delivery: Delivery }) {
  return (
    <span className={`badge delivery-${delivery.status}`} data-testid="delivery-status">
      {delivery.status}
    </span>
  );
}

/** The detail beside a delivery's status: its last error, or when it is next tried. */
export function deliveryDetail(d: Delivery): string {
  if (d.lastError !== null) return d.lastError;
  if (d.status === 'held' && d.nextAttemptAt !== null)
    return `held for quiet hours until ${new Date(d.nextAttemptAt).toLocaleString()}`;
  if (d.nextAttemptAt !== null) return `next attempt ${new Date(d.nextAttemptAt).toLocaleString()}`;
  if (d.deliveredAt !== null) return `delivered ${new Date(d.deliveredAt).toLocaleString()}`;
  return dash;
}

/** Alert history: one signal's firings (bar and values) and the notification deliveries with their status. */
export function AlertsTab({
  signalId,
  onSelect,
}: {
  signalId: string | null;
  onSelect: (id: string) => void;
}) {
  const signals = useSignalList();
  const list = signals.data ?? [];
  const selected = list.find((s) => s.id === signalId) ?? list[0] ?? null;
  const firings = useFirings(selected?.id ?? null, 200);
  const channels = useChannels();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [channelId, setChannelId] = useState('');
  const [onlySignal, setOnlySignal] = useState(true);
  const deliveries = useDeliveries(
    { ...(status === '' ? {} : { status }), ...(channelId === '' ? {} : { channelId }) },
    200,
  );
  const ids = { signal: useId(), status: useId(), channel: useId() };
  const channelName = (id: string | null) => channels.data?.find((c) => c.id === id)?.name ?? dash;
  // A signal's notifications are titled "<name>: <symbol> <timeframe>" (server/signals/signal-sink.ts).
  const shownDeliveries = (deliveries.data ?? []).filter(
    (d) => !onlySignal || selected === null || d.title.startsWith(`${selected.name}:`),
  );

  return (
    <div className="signals-stack">
      <section className="panel" aria-labelledby="firings-title">
        <div className="panel-header">
          <h2 id="firings-title">Firings</h2>
          {list.length === 0 ? null : (
            <div className="field inline-field">
              <label htmlFor={ids.signal}>Signal</label>
              <select id={ids.signal} value={selected?.id ?? ''} onChange={(e) => onSelect(e.target.value)}>
                {list.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        {signals.isSuccess && list.length === 0 ? <p className="muted">No signals yet.</p> : null}
        {firings.isError ? <p className="alert">{firings.error.message}</p> : null}
        {firings.isSuccess && firings.data.length === 0 ? (
          <p className="muted">{selected?.name} has not fired yet.</p>
        ) : null}
        {firings.data === undefined || firings.data.length === 0 ? null : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Firings table">
            <table className="data-table">
              <caption className="visually-hidden">Firings of {selected?.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Fired</th>
                  <th scope="col">Symbol</th>
                  <th scope="col">Bar</th>
                  <th scope="col">Open</th>
                  <th scope="col">High</th>
                  <th scope="col">Low</th>
                  <th scope="col">Close</th>
                  <th scope="col">Volume</th>
                  <th scope="col">Values</th>
                  <th scope="col">Order</th>
                </tr>
              </thead>
              <tbody>
                {firings.data.map((f) => (
                  <tr key={f.id}>
                    <th scope="row">
                      <time dateTime={f.firedAt}>{new Date(f.firedAt).toLocaleString()}</time>
                      {f.catchUp ? <span className="muted"> (catch-up)</span> : null}
                    </th>
                    <td>{f.symbol}</td>
                    <td>
                      {f.timeframe} · {formatExchangeDateTime(Date.parse(f.barTime) / 1000)}
                    </td>
                    <td>{price(f.bar.o)}</td>
                    <td>{price(f.bar.h)}</td>
                    <td>{price(f.bar.l)}</td>
                    <td>{price(f.bar.c)}</td>
                    <td>{f.bar.v.toLocaleString('en-US')}</td>
                    <td className="values-cell">{formatValues(f.values)}</td>
                    <td>
                      {f.order === null
                        ? dash
                        : `${f.order.status}${f.order.detail === null ? '' : `: ${f.order.detail}`}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="deliveries-title">
        <div className="panel-header">
          <h2 id="deliveries-title">Deliveries</h2>
        </div>
        <div className="filter-row">
          <div className="field">
            <label htmlFor={ids.status}>Status</label>
            <select
              id={ids.status}
              value={status}
              onChange={(e) => setStatus(e.target.value as DeliveryStatus | '')}
            >
              <option value="">Any</option>
              {DeliveryStatus.options.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.channel}>Channel</label>
            <select id={ids.channel} value={channelId} onChange={(e) => setChannelId(e.target.value)}>
              <option value="">Any</option>
              {(channels.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          {selected === null ? null : (
            <label className="check">
              <input type="checkbox" checked={onlySignal} onChange={(e) => setOnlySignal(e.target.checked)} />
              Only {selected.name}
            </label>
          )}
        </div>
        {deliveries.isError ? <p className="alert">{deliveries.error.message}</p> : null}
        {deliveries.isSuccess && shownDeliveries.length === 0 ? (
          <p className="muted">No deliveries.</p>
        ) : null}
        {shownDeliveries.length === 0 ? null : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Deliveries table">
            <table className="data-table">
              <caption className="visually-hidden">Deliveries</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Title</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {shownDeliveries.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">
                      <time dateTime={d.createdAt}>{new Date(d.createdAt).toLocaleString()}</time>
                    </th>
                    <td>
                      {channelName(d.channelId)}{' '}
                      <span className="muted">({channelTypeLabel(d.channelType)})</span>
                    </td>
                    <td className="values-cell">
                      {d.title}
                      {d.urgency === 'urgent' ? <span className="muted"> · urgent</span> : null}
                    </td>
                    <td>
                      <DeliveryBadge delivery={d} />
                    </td>
                    <td>{d.attempts}</td>
                    <td className="values-cell">{deliveryDetail(d)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
