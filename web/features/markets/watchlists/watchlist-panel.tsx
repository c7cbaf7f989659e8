import { useId, useState } from 'react';
import type { Watchlist } from '../../../../contracts/watchlists.js';
import { useApi } from '../../../api/api-context.js';
import { QuoteTable } from '../quotes/quote-table.js';
import { useLiveQuotes } from '../quotes/use-live-quotes.js';
import { SymbolEditor } from './symbol-editor.js';
import { useWatchlistChanges, useWatchlists } from './use-watchlists.js';
import { isPending, WatchlistList } from './watchlist-list.js';

/** What a first-time user gets with one click. */
export const STARTER_SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'SPY'] as const;
const SELECTED_KEY = 'pulse.watchlist';

/** Props of {@link WatchlistPanel}. */
export interface WatchlistPanelProps {
  /** The chart's symbol; its row is marked. */
  symbol: string;
  onSelectSymbol: (symbol: string) => void;
  /** Wide layout: adds bid and ask columns. */
  wide?: boolean;
  /** Opens the order ticket on a symbol; when given, each quote row offers "Trade". */
  onTrade?: (symbol: string) => void;
}

function readSelected(): string | null {
  try {
    return window.localStorage.getItem(SELECTED_KEY);
  } catch {
    return null;
  }
}

function LiveQuotes({
  list,
  symbol,
  onSelectSymbol,
  wide,
  onTrade,
}: WatchlistPanelProps & { list: Watchlist }) {
  const quotes = useLiveQuotes(list.symbols);
  if (list.symbols.length === 0)
    return <p className="muted">No symbols in {list.name} yet: add one below.</p>;
  return (
    <>
      {quotes.error === null ? null : (
        <div className="alert" role="alert">
          Could not load quotes: {quotes.error.message}
        </div>
      )}
      <QuoteTable
        caption={`Quotes for ${list.name}`}
        rows={quotes.rows}
        selected={symbol}
        onSelect={onSelectSymbol}
        showBidAsk={wide}
        onTrade={onTrade}
      />
    </>
  );
}

/** The watchlists side panel: pick, manage and edit lists, with a live quote table of the selected one. */
export function WatchlistPanel(props: WatchlistPanelProps) {
  const api = useApi();
  const titleId = useId();
  const lists = useWatchlists();
  const { run, error, clearError } = useWatchlistChanges();
  const [selectedId, setSelectedId] = useState<string | null>(readSelected);
  const [editing, setEditing] = useState(false);

  const select = (id: string): void => {
    setSelectedId(id);
    try {
      window.localStorage.setItem(SELECTED_KEY, id);
    } catch {
      // Remembering the choice is a nicety.
    }
  };

  const data = lists.data ?? [];
  const selected = data.find((l) => l.id === selectedId) ?? data[0];

  const createStarter = async (): Promise<void> => {
    const temp: Watchlist = {
      id: 'pending-starter',
      name: 'My watchlist',
      symbols: [...STARTER_SYMBOLS],
      position: 0,
    };
    const created = await run({
      action: { type: 'create', list: temp },
      request: () => api.createWatchlist({ name: temp.name, symbols: temp.symbols }),
      confirm: (all, result) => all.map((l) => (l.id === temp.id ? result : l)),
    });
    if (created !== undefined) select(created.id);
  };

  let body;
  if (lists.isPending) body = <p className="muted">Loading watchlists…</p>;
  else if (lists.isError && data.length === 0)
    body = (
      <div className="alert" role="alert">
        Could not load your watchlists: {lists.error.message}{' '}
        <button type="button" className="button" onClick={() => void lists.refetch()}>
          Try again
        </button>
      </div>
    );
  else if (data.length === 0)
    body = (
      <div className="onboarding">
        <p>You have no watchlists yet.</p>
        <button type="button" className="button button-primary" onClick={() => void createStarter()}>
          Create a watchlist with {STARTER_SYMBOLS.join(', ')}
        </button>
      </div>
    );
  else
    body = (
      <>
        <WatchlistList lists={data} selectedId={selected?.id ?? null} onSelect={select} run={run} />
        {selected === undefined ? null : (
          <div className="watchlist-selected">
            <div className="watchlist-selected-header">
              <h3>{selected.name}</h3>
              <button
                type="button"
                className="button"
                aria-expanded={editing}
                disabled={isPending(selected)}
                onClick={() => setEditing((e) => !e)}
              >
                {editing ? 'Done' : 'Edit symbols'}
              </button>
            </div>
            <LiveQuotes list={selected} {...props} />
            {editing && !isPending(selected) ? <SymbolEditor list={selected} run={run} /> : null}
          </div>
        )}
      </>
    );

  return (
    <section className="panel watchlist-panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Watchlists</h2>
      {error === null ? null : (
        <div className="alert" role="alert">
          {error}{' '}
          <button type="button" className="link-button" onClick={clearError}>
            Dismiss
          </button>
        </div>
      )}
      {body}
    </section>
  );
}
