import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { Watchlist } from '../../../../contracts/watchlists.js';
import { useApi } from '../../../api/api-context.js';
import { SymbolCombobox } from '../symbol-combobox.js';
import type { WatchlistChange } from './use-watchlists.js';
import { watchlistReducer } from './watchlist-reducer.js';

type Run = <R extends Watchlist | Watchlist[] | void>(change: WatchlistChange<R>) => Promise<R | undefined>;

/** Props of {@link SymbolEditor}. */
export interface SymbolEditorProps {
  list: Watchlist;
  run: Run;
}

/**
 * Edits one watchlist's symbols: add through the symbol search, remove, and reorder by drag and drop
 * or with the move up/down buttons (which keep focus and announce the new position).
 */
export function SymbolEditor({ list, run }: SymbolEditorProps) {
  const api = useApi();
  const [dragging, setDragging] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [refocus, setRefocus] = useState<{ symbol: string; dir: 'up' | 'down' } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (refocus === null) return;
    const row = listRef.current?.querySelector(`[data-symbol="${refocus.symbol}"]`);
    const wanted = row?.querySelector<HTMLButtonElement>(`[data-move="${refocus.dir}"]`);
    const other = row?.querySelector<HTMLButtonElement>(
      `[data-move="${refocus.dir === 'up' ? 'down' : 'up'}"]`,
    );
    (wanted?.disabled === false ? wanted : other)?.focus();
    setRefocus(null);
  }, [refocus, list.symbols]);

  const moveTo = (symbol: string, to: number): void => {
    const action = { type: 'moveSymbol', id: list.id, symbol, to } as const;
    const next = watchlistReducer([list], action)[0];
    if (next === undefined || next === list) return;
    setNote(`${symbol} moved to position ${next.symbols.indexOf(symbol) + 1} of ${next.symbols.length}.`);
    void run({ action, request: () => api.updateWatchlist(list.id, { symbols: next.symbols }) });
  };

  const add = (symbol: string): void => {
    if (list.symbols.includes(symbol)) {
      setNote(`${symbol} is already in ${list.name}.`);
      return;
    }
    setNote(`${symbol} added to ${list.name}.`);
    void run({
      action: { type: 'addSymbol', id: list.id, symbol },
      request: () => api.addWatchlistSymbol(list.id, symbol),
    });
  };

  const remove = (symbol: string): void => {
    setNote(`${symbol} removed from ${list.name}.`);
    void run({
      action: { type: 'removeSymbol', id: list.id, symbol },
      request: () => api.removeWatchlistSymbol(list.id, symbol),
    });
  };

  const onDrop = (event: DragEvent, target: string): void => {
    event.preventDefault();
    const symbol = dragging ?? event.dataTransfer.getData('text/plain');
    setDragging(null);
    if (symbol === '' || symbol === target) return;
    moveTo(symbol, list.symbols.indexOf(target));
  };

  return (
    <div className="symbol-editor">
      <SymbolCombobox label={`Add a symbol to ${list.name}`} placeholder="Add a symbol…" onPick={add} />
      <ol className="symbol-list" ref={listRef} aria-label={`Symbols in ${list.name}`}>
        {list.symbols.map((symbol, index) => (
          <li
            key={symbol}
            data-symbol={symbol}
            data-dragging={dragging === symbol ? 'true' : undefined}
            draggable
            onDragStart={(event) => {
              event.dataTransfer.setData('text/plain', symbol);
              event.dataTransfer.effectAllowed = 'move';
              setDragging(symbol);
            }}
            onDragEnd={() => setDragging(null)}
            onDragOver={(event) => {
              event.preventDefault();
              event.dataTransfer.dropEffect = 'move';
            }}
            onDrop={(event) => onDrop(event, symbol)}
          >
            <span className="drag-handle" aria-hidden="true">
              ⠿
            </span>
            <span className="symbol">{symbol}</span>
            <span className="row-tools">
              <button
                type="button"
                className="icon-button"
                data-move="up"
                aria-label={`Move ${symbol} up`}
                disabled={index === 0}
                onClick={() => {
                  moveTo(symbol, index - 1);
                  setRefocus({ symbol, dir: 'up' });
                }}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                data-move="down"
                aria-label={`Move ${symbol} down`}
                disabled={index === list.symbols.length - 1}
                onClick={() => {
                  moveTo(symbol, index + 1);
                  setRefocus({ symbol, dir: 'down' });
                }}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${symbol}`}
                onClick={() => remove(symbol)}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" role="status">
        {note}
      </p>
    </div>
  );
}
