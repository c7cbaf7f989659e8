import { useState, type FormEvent } from 'react';
import type { Watchlist } from '../../../../contracts/watchlists.js';
import { useApi } from '../../../api/api-context.js';
import type { WatchlistChange } from './use-watchlists.js';
import { watchlistReducer } from './watchlist-reducer.js';

type Run = <R extends Watchlist | Watchlist[] | void>(change: WatchlistChange<R>) => Promise<R | undefined>;

/** Props of {@link WatchlistList}. */
export interface WatchlistListProps {
  lists: readonly Watchlist[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  run: Run;
}

/** True for a list created optimistically and not yet confirmed (it has no server id to act on). */
export const isPending = (list: Watchlist): boolean => list.id.startsWith('pending-');

/** The user's watchlists: select, reorder (up/down), rename inline, delete after a confirm, create. */
export function WatchlistList({ lists, selectedId, onSelect, run }: WatchlistListProps) {
  const api = useApi();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);
  const [name, setName] = useState('');

  const moveList = (list: Watchlist, to: number): void => {
    const action = { type: 'moveList', id: list.id, to } as const;
    const ids = watchlistReducer(lists, action).map((l) => l.id);
    void run({ action, request: () => api.reorderWatchlists(ids) });
  };

  const rename = (event: FormEvent, list: Watchlist): void => {
    event.preventDefault();
    const next = draft.trim();
    setRenaming(null);
    if (next === '' || next === list.name) return;
    void run({
      action: { type: 'rename', id: list.id, name: next },
      request: () => api.updateWatchlist(list.id, { name: next }),
    });
  };

  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const next = name.trim();
    if (next === '') return;
    setName('');
    const temp: Watchlist = { id: `pending-${Date.now()}`, name: next, symbols: [], position: lists.length };
    const created = await run({
      action: { type: 'create', list: temp },
      request: () => api.createWatchlist({ name: next }),
      confirm: (all, result) => all.map((l) => (l.id === temp.id ? result : l)),
    });
    if (created !== undefined) onSelect(created.id);
  };

  return (
    <>
      <ul className="watchlist-list" aria-label="Your watchlists">
        {lists.map((list, index) => (
          <li key={list.id}>
            <div className="watchlist-row">
              {renaming === list.id ? (
                <form className="inline-form" onSubmit={(event) => rename(event, list)}>
                  <label className="visually-hidden" htmlFor={`rename-${list.id}`}>
                    New name for {list.name}
                  </label>
                  <input
                    id={`rename-${list.id}`}
                    value={draft}
                    maxLength={64}
                    autoFocus
                    onChange={(event) => setDraft(event.target.value)}
                    onKeyDown={(event) => {
                      if (event.key === 'Escape') setRenaming(null);
                    }}
                  />
                  <button type="submit" className="button">
                    Save
                  </button>
                </form>
              ) : (
                <button
                  type="button"
                  className="watchlist-name"
                  aria-pressed={list.id === selectedId}
                  onClick={() => onSelect(list.id)}
                >
                  {list.name} <span className="muted">({list.symbols.length})</span>
                </button>
              )}
              <span className="row-tools">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move ${list.name} up`}
                  disabled={index === 0 || isPending(list)}
                  onClick={() => moveList(list, index - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move ${list.name} down`}
                  disabled={index === lists.length - 1 || isPending(list)}
                  onClick={() => moveList(list, index + 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Rename ${list.name}`}
                  disabled={isPending(list)}
                  onClick={() => {
                    setDraft(list.name);
                    setRenaming(list.id);
                  }}
                >
                  ✎
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Delete ${list.name}`}
                  disabled={isPending(list)}
                  onClick={() => setDeleting(list.id)}
                >
                  ✕
                </button>
              </span>
            </div>
            {deleting === list.id ? (
              <div className="confirm" role="group" aria-label={`Confirm deleting ${list.name}`}>
                <span>
                  Delete “{list.name}” and its {list.symbols.length} symbols?
                </span>
                <button
                  type="button"
                  className="button button-danger"
                  autoFocus
                  onClick={() => {
                    setDeleting(null);
                    void run({
                      action: { type: 'delete', id: list.id },
                      request: () => api.deleteWatchlist(list.id),
                    });
                  }}
                >
                  Delete
                </button>
                <button type="button" className="button" onClick={() => setDeleting(null)}>
                  Cancel
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={(event) => void create(event)}>
        <label className="visually-hidden" htmlFor="new-watchlist">
          New watchlist name
        </label>
        <input
          id="new-watchlist"
          value={name}
          maxLength={64}
          placeholder="New watchlist"
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="button" disabled={name.trim() === ''}>
          Create
        </button>
      </form>
    </>
  );
}
