import type { Watchlist } from '../../../../contracts/watchlists.js';

/** A change to the user's watchlists, applied optimistically before the server confirms it. */
export type WatchlistAction =
  | { type: 'create'; list: Watchlist }
  | { type: 'rename'; id: string; name: string }
  | { type: 'delete'; id: string }
  | { type: 'moveList'; id: string; to: number }
  | { type: 'addSymbol'; id: string; symbol: string }
  | { type: 'removeSymbol'; id: string; symbol: string }
  | { type: 'moveSymbol'; id: string; symbol: string; to: number }
  /** The server's answer for one list replaces the local copy. */
  | { type: 'replace'; list: Watchlist };

/** Moves the item at `from` to index `to` (clamped); the same array when nothing moves. */
export function move<T>(items: readonly T[], from: number, to: number): readonly T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (from < 0 || from >= items.length || from === target) return items;
  const copy = items.slice();
  const [item] = copy.splice(from, 1);
  copy.splice(target, 0, item as T);
  return copy;
}

const renumber = (lists: readonly Watchlist[]): Watchlist[] =>
  lists.map((list, position) => (list.position === position ? list : { ...list, position }));

function mapList(
  lists: readonly Watchlist[],
  id: string,
  change: (list: Watchlist) => Watchlist,
): readonly Watchlist[] {
  let changed = false;
  const next = lists.map((list) => {
    if (list.id !== id) return list;
    const updated = change(list);
    if (updated !== list) changed = true;
    return updated;
  });
  return changed ? next : lists;
}

/** Applies `action` to the ordered watchlists; returns the same array when it changes nothing. */
export function watchlistReducer(lists: readonly Watchlist[], action: WatchlistAction): readonly Watchlist[] {
  switch (action.type) {
    case 'create':
      return renumber([...lists, action.list]);
    case 'rename':
      return mapList(lists, action.id, (l) => (l.name === action.name ? l : { ...l, name: action.name }));
    case 'delete': {
      const next = lists.filter((l) => l.id !== action.id);
      return next.length === lists.length ? lists : renumber(next);
    }
    case 'moveList': {
      const next = move(
        lists,
        lists.findIndex((l) => l.id === action.id),
        action.to,
      );
      return next === lists ? lists : renumber(next);
    }
    case 'addSymbol':
      return mapList(lists, action.id, (l) =>
        l.symbols.includes(action.symbol) ? l : { ...l, symbols: [...l.symbols, action.symbol] },
      );
    case 'removeSymbol':
      return mapList(lists, action.id, (l) =>
        l.symbols.includes(action.symbol)
          ? { ...l, symbols: l.symbols.filter((s) => s !== action.symbol) }
          : l,
      );
    case 'moveSymbol':
      return mapList(lists, action.id, (l) => {
        const symbols = move(l.symbols, l.symbols.indexOf(action.symbol), action.to);
        return symbols === l.symbols ? l : { ...l, symbols: [...symbols] };
      });
    case 'replace':
      return mapList(lists, action.list.id, () => action.list);
  }
}
