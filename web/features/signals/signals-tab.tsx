import { useState } from 'react';
import type { Signal } from '../../../contracts/signals.js';
import { describePolicy } from './signal-form.js';
import { SignalEditor } from './signal-editor.js';
import { useLastFired, useSignalActions, useSignalList } from './use-signals.js';

/** The signal list with create / edit / enable / delete, and the editor for one signal. */
export function SignalsTab({ onShowAlerts }: { onShowAlerts: (id: string) => void }) {
  const signals = useSignalList();
  const rows = signals.data ?? [];
  const lastFired = useLastFired(rows.map((s) => s.id));
  const { update, remove } = useSignalActions();
  const [editing, setEditing] = useState<Signal | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState('');

  return (
    <div className="signals-stack">
      <section className="panel" aria-labelledby="signal-list-title">
        <div className="panel-header">
          <h2 id="signal-list-title">Your signals</h2>
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            New signal
          </button>
        </div>
        <p className="visually-hidden" role="status">
          {notice}
        </p>
        {signals.isError ? <p className="alert">{signals.error.message}</p> : null}
        {update.error === null && remove.error === null ? null : (
          <p className="alert" role="alert">
            {(update.error ?? remove.error)?.message}
          </p>
        )}
        {signals.isSuccess && rows.length === 0 ? (
          <p className="muted">
            No signals yet. A signal watches a rule at every bar close and alerts you when it fires.
          </p>
        ) : null}
        {rows.length === 0 ? null : (
          <div className="table-scroll">
            <table className="data-table signal-table">
              <caption className="visually-hidden">Signals</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Symbols</th>
                  <th scope="col">Timeframe</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Enabled</th>
                  <th scope="col">Last fired</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => {
                  const fired = lastFired.get(s.id);
                  return (
                    <tr key={s.id} data-testid={`signal-${s.name}`}>
                      <th scope="row">{s.name}</th>
                      <td className="rule-cell">
                        <code title={s.source}>{s.source}</code>
                      </td>
                      <td>{s.symbols.join(', ')}</td>
                      <td>{s.timeframe}</td>
                      <td>{describePolicy(s)}</td>
                      <td>
                        <input
                          type="checkbox"
                          checked={s.enabled}
                          aria-label={`Enabled: ${s.name}`}
                          disabled={update.isPending}
                          onChange={(e) => {
                            const enabled = e.target.checked;
                            update.mutate(
                              { id: s.id, body: { enabled } },
                              {
                                onSuccess: () => setNotice(`${s.name} ${enabled ? 'enabled' : 'disabled'}.`),
                              },
                            );
                          }}
                        />
                      </td>
                      <td data-testid="last-fired">
                        {fired === undefined
                          ? '…'
                          : fired === null
                            ? 'Never'
                            : new Date(fired).toLocaleString()}
                      </td>
                      <td>
                        {confirming === s.id ? (
                          <div className="confirm" role="group" aria-label={`Confirm deleting ${s.name}`}>
                            Delete with its firings?
                            <button
                              type="button"
                              className="button button-danger"
                              onClick={() =>
                                remove.mutate(s.id, {
                                  onSuccess: () => {
                                    setNotice(`${s.name} deleted.`);
                                    if (editing !== 'new' && editing?.id === s.id) setEditing(null);
                                  },
                                  onSettled: () => setConfirming(null),
                                })
                              }
                            >
                              Delete
                            </button>
                            <button type="button" className="button" onClick={() => setConfirming(null)}>
                              Keep
                            </button>
                          </div>
                        ) : (
                          <div className="row-actions">
                            <button
                              type="button"
                              className="button"
                              aria-label={`Edit ${s.name}`}
                              onClick={() => setEditing(s)}
                            >
                              Edit
                            </button>
                            <button
                              type="button"
                              className="button"
                              aria-label={`Alert history of ${s.name}`}
                              onClick={() => onShowAlerts(s.id)}
                            >
                              Alerts
                            </button>
                            <button
                              type="button"
                              className="button"
                              aria-label={`Delete ${s.name}`}
                              onClick={() => setConfirming(s.id)}
                            >
                              Delete
                            </button>
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {editing === null ? null : (
        <SignalEditor
          key={editing === 'new' ? 'new' : editing.id}
          signal={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved !== null) setNotice(`${saved.name} saved.`);
          }}
        />
      )}
    </div>
  );
}
