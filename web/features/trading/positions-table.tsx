import { useState, type FormEvent } from 'react';
import { formatUsd, parseFixed } from './fixed-decimal.js';
import { usePositions, useTradingActions, type Position } from './use-trading.js';

const usd = (text: string): string => {
  const negative = text.trim().startsWith('-');
  const value = parseFixed(negative ? text.trim().slice(1) : text);
  if (value === null) return text;
  return negative ? `-${formatUsd(value)}` : formatUsd(value);
};

/** Open positions with their P&L; each can be closed in full or by a quantity. */
export function PositionsTable() {
  const positions = usePositions();
  const { close } = useTradingActions();
  const [partial, setPartial] = useState<string | null>(null);
  const rows = positions.data ?? [];

  return (
    <section className="panel" aria-labelledby="positions-title">
      <h2 id="positions-title">Positions</h2>
      {close.error === null ? null : (
        <p className="alert" role="alert">
          {close.error.message}
        </p>
      )}
      {positions.isError ? <p className="alert">{positions.error.message}</p> : null}
      {positions.isSuccess && rows.length === 0 ? <p className="muted">No open positions.</p> : null}
      {rows.length === 0 ? null : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Open positions</caption>
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Qty</th>
                <th scope="col">Avg entry</th>
                <th scope="col">Market value</th>
                <th scope="col">Unrealized P&amp;L</th>
                <th scope="col">Close</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.symbol} data-testid={`position-${p.symbol}`}>
                  <th scope="row">{p.symbol}</th>
                  <td data-testid="position-qty">{p.qty}</td>
                  <td>{usd(p.avg_entry_price)}</td>
                  <td>{usd(p.market_value)}</td>
                  <td className={p.unrealized_pl.startsWith('-') ? 'down' : 'up'}>{usd(p.unrealized_pl)}</td>
                  <td className="row-actions">
                    {partial === p.symbol ? (
                      <ClosePartly position={p} onDone={() => setPartial(null)} />
                    ) : (
                      <>
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => close.mutate({ symbol: p.symbol })}
                          disabled={close.isPending}
                        >
                          Close all<span className="visually-hidden"> {p.symbol}</span>
                        </button>
                        <button type="button" className="link-button" onClick={() => setPartial(p.symbol)}>
                          Close some<span className="visually-hidden"> {p.symbol}</span>
                        </button>
                      </>
                    )}
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

function ClosePartly({ position, onDone }: { position: Position; onDone: () => void }) {
  const { close } = useTradingActions();
  const [qty, setQty] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (qty.trim() === '') return;
    close.mutate({ symbol: position.symbol, qty: qty.trim() }, { onSuccess: onDone });
  };
  return (
    <form className="inline-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <label>
        Shares of {position.symbol} to close
        <input value={qty} onChange={(e) => setQty(e.target.value)} inputMode="decimal" size={6} autoFocus />
      </label>
      <button type="submit" className="button" disabled={close.isPending}>
        Close
      </button>
      <button type="button" className="button" onClick={onDone}>
        Keep
      </button>
      {close.error === null ? null : (
        <span className="field-error" role="alert">
          {close.error.message}
        </span>
      )}
    </form>
  );
}
