import { describe, expect, it } from 'vitest';
import type { Watchlist } from '../../../../contracts/watchlists.js';
import { move, watchlistReducer } from './watchlist-reducer.js';

const list = (id: string, position: number, symbols: string[] = []): Watchlist => ({
  id,
  name: `List ${id}`,
  symbols,
  position,
});
const lists = [list('a', 0, ['AAPL', 'MSFT', 'NVDA']), list('b', 1), list('c', 2)];
const ids = (ls: readonly Watchlist[]) => ls.map((l) => `${l.id}${l.position}`).join(' ');

describe('move', () => {
  it('moves an item and clamps the target', () => {
    expect(move([1, 2, 3], 0, 2)).toEqual([2, 3, 1]);
    expect(move([1, 2, 3], 2, -5)).toEqual([3, 1, 2]);
  });

  it('returns the same array when nothing moves', () => {
    const items = [1, 2];
    expect(move(items, 1, 1)).toBe(items);
    expect(move(items, 5, 0)).toBe(items);
  });
});

describe('watchlistReducer', () => {
  it('reorders watchlists and renumbers their positions', () => {
    expect(ids(watchlistReducer(lists, { type: 'moveList', id: 'c', to: 0 }))).toBe('c0 a1 b2');
    expect(ids(watchlistReducer(lists, { type: 'moveList', id: 'a', to: 1 }))).toBe('b0 a1 c2');
  });

  it('moves a symbol up or down within its list', () => {
    const next = watchlistReducer(lists, { type: 'moveSymbol', id: 'a', symbol: 'NVDA', to: 1 });
    expect(next[0]?.symbols).toEqual(['AAPL', 'NVDA', 'MSFT']);
    expect(next[1]).toBe(lists[1]);
  });

  it('returns the same lists for a move past either end', () => {
    expect(watchlistReducer(lists, { type: 'moveSymbol', id: 'a', symbol: 'AAPL', to: -1 })).toBe(lists);
    expect(watchlistReducer(lists, { type: 'moveList', id: 'c', to: 9 })).toBe(lists);
  });

  it('adds a symbol once, removes it, renames and deletes', () => {
    const added = watchlistReducer(lists, { type: 'addSymbol', id: 'b', symbol: 'SPY' });
    expect(added[1]?.symbols).toEqual(['SPY']);
    expect(watchlistReducer(added, { type: 'addSymbol', id: 'b', symbol: 'SPY' })).toBe(added);
    expect(watchlistReducer(added, { type: 'removeSymbol', id: 'b', symbol: 'SPY' })[1]?.symbols).toEqual([]);
    expect(watchlistReducer(lists, { type: 'rename', id: 'b', name: 'Tech' })[1]?.name).toBe('Tech');
    expect(ids(watchlistReducer(lists, { type: 'delete', id: 'a' }))).toBe('b0 c1');
  });

  it('appends a created list and lets the server answer replace one', () => {
    const created = watchlistReducer(lists, { type: 'create', list: list('tmp', 99) });
    expect(ids(created)).toBe('a0 b1 c2 tmp3');
    const confirmed = { ...list('b', 1), name: 'Server name' };
    expect(watchlistReducer(lists, { type: 'replace', list: confirmed })[1]).toBe(confirmed);
  });
});
