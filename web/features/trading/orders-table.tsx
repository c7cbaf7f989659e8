import { useState, type FormEvent } from 'react';
import type { ReplaceOrderBody } from '../../../contracts/trading.js';
import { useOrders, useTradingActions, type Order } from './use-trading.js';

const dash = '—';

const priceOf = (o: Order): string => {
  const limit = typeof o.limit_price === 'string' ? o.limit_price : null;
  const stop = typeof o.stop_price === 'string' ? o.stop_price : null;
  if (limit !== null && stop !== null) return `${stop} / ${limit}`;
  return limit ?? stop ?? dash;
};

const timeOf = (o: Order): string => {
  const at =
    typeof o.submitted_at === 'string'
      ? o.submitted_at
      : typeof o.created_at === 'string'
        ? o.created_at
        : null;
  return at === null ? dash : new Date(at).toLocaleTimeString();
};

/** Open and closed orders in tabs; open ones can be canceled or have their qty and limit replaced. */
export function OrdersTable() {
  const [tab, setTab] = useState<'open' | 'closed'>('open');
  const orders = useOrders(tab);
  const { cancel } = useTradingActions();
  const [editing, setEditing] = useState<string | null>(null);
  const rows = orders.data ?? [];

  return (
    <section className="panel" aria-labelledby="orders-title">
      <div className="panel-header">
        <h2 id="orders-title">Orders</h2>
        <div className="segmented" role="group" aria-label="Which orders">
          {(['open', 'closed'] as const).map((t) => (
            <button key={t} type="button" aria-pressed={tab === t} onClick={() => setTab(t)}>
              {t === 'open' ? 'Open' : 'Closed'}
            </button>
          ))}
        </div>
      </div>
      {cancel.error === null ? null : (
        <p className="alert" role="alert">
          {cancel.error.message}
        </p>
      )}
      {orders.isError ? <p className="alert">{orders.error.message}</p> : null}
      {orders.isSuccess && rows.length === 0 ? <p className="muted">No {tab} orders.</p> : null}
      {rows.length === 0 ? null : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">{tab === 'open' ? 'Open orders' : 'Closed orders'}</caption>
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Side</th>
                <th scope="col">Type</th>
                <th scope="col">Qty</th>
                <th scope="col">Price</th>
                <th scope="col">Filled</th>
                <th scope="col">Status</th>
                <th scope="col">Submitted</th>
                {tab === 'open' ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((o) =>
                editing === o.id ? (
                  <ReplaceRow key={o.id} order={o} onDone={() => setEditing(null)} />
                ) : (
                  <tr key={o.id} data-testid={`order-${o.id}`}>
                    <th scope="row">{o.symbol}</th>
                    <td className={o.side === 'buy' ? 'up' : 'down'}>{o.side}</td>
                    <td>{o.type.replace('_', ' ')}</td>
                    <td>{o.qty ?? (o.notional === null ? dash : `$${o.notional}`)}</td>
                    <td>{priceOf(o)}</td>
                    <td>
                      {o.filled_qty}
                      {o.filled_avg_price === null ? null : ` @ ${o.filled_avg_price}`}
                    </td>
                    <td data-testid="order-status">{o.status}</td>
                    <td>{timeOf(o)}</td>
                    {tab === 'open' ? (
                      <td className="row-actions">
                        {o.type === 'market' ? null : (
                          <button type="button" className="link-button" onClick={() => setEditing(o.id)}>
                            Replace<span className="visually-hidden"> {o.symbol} order</span>
                          </button>
                        )}
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => cancel.mutate(o.id)}
                          disabled={cancel.isPending && cancel.variables === o.id}
                        >
                          Cancel<span className="visually-hidden"> {o.symbol} order</span>
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** An open order's row turned into a small form: new qty and limit (or stop) price. */
function ReplaceRow({ order, onDone }: { order: Order; onDone: () => void }) {
  const { replace } = useTradingActions();
  const hasLimit = typeof order.limit_price === 'string';
  const hasStop = typeof order.stop_price === 'string';
  const [qty, setQty] = useState(order.qty ?? '');
  const [limit, setLimit] = useState(hasLimit ? String(order.limit_price) : '');
  const [stop, setStop] = useState(hasStop ? String(order.stop_price) : '');

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const body: ReplaceOrderBody = {};
    if (qty.trim() !== '' && qty.trim() !== order.qty) body.qty = qty.trim();
    if (hasLimit && limit.trim() !== order.limit_price) body.limit_price = limit.trim();
    if (hasStop && stop.trim() !== order.stop_price) body.stop_price = stop.trim();
    if (Object.keys(body).length === 0) return onDone();
    replace.mutate({ id: order.id, body }, { onSuccess: onDone });
  };

  return (
    <tr className="replace-row">
      <th scope="row">{order.symbol}</th>
      <td colSpan={8}>
        <form className="inline-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
          <label>
            Qty{' '}
            <input
              value={qty}
              onChange={(e) => setQty(e.target.value)}
              inputMode="decimal"
              size={6}
              autoFocus
            />
          </label>
          {hasStop ? (
            <label>
              Stop{' '}
              <input value={stop} onChange={(e) => setStop(e.target.value)} inputMode="decimal" size={8} />
            </label>
          ) : null}
          {hasLimit ? (
            <label>
              Limit{' '}
              <input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" size={8} />
            </label>
          ) : null}
          <button type="submit" className="button button-primary" disabled={replace.isPending}>
            Save
          </button>
          <button type="button" className="button" onClick={onDone}>
            Discard
          </button>
          {replace.error === null ? null : (
            <span className="field-error" role="alert">
              {replace.error.message}
            </span>
          )}
        </form>
      </td>
    </tr>
  );
}
