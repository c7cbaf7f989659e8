import crypto from 'node:crypto';
import type { CreateWatchlistBody, UpdateWatchlistBody } from '../../contracts/watchlists.js';
import { AppError } from '../errors.js';
import type { WatchlistRecord, WatchlistStore } from '../ports.js';

/** At most this many watchlists per user. */
export const MAX_WATCHLISTS = 50;
/** At most this many symbols per watchlist. */
export const MAX_SYMBOLS = 200;

/** What the watchlist commands need. */
export interface WatchlistDeps {
  watchlists: WatchlistStore;
  isKnownSymbol: (symbol: string) => boolean;
}

function checkSymbols(symbols: readonly string[], deps: WatchlistDeps): string[] {
  const unique = [...new Set(symbols)];
  const unknown = unique.find((s) => !deps.isKnownSymbol(s));
  if (unknown !== undefined)
    throw new AppError('MARKET_UNKNOWN_SYMBOL', `No instrument has the symbol ${unknown}`);
  if (unique.length > MAX_SYMBOLS)
    throw new AppError('WATCHLIST_LIMIT_REACHED', `A watchlist holds at most ${MAX_SYMBOLS} symbols.`);
  return unique;
}

async function mustGet(userId: string, id: string, deps: WatchlistDeps): Promise<WatchlistRecord> {
  const found = await deps.watchlists.get(userId, id);
  if (!found) throw new AppError('WATCHLIST_NOT_FOUND', 'No watchlist of yours has this id.');
  return found;
}

const nameTaken = (name: string) =>
  new AppError('WATCHLIST_NAME_TAKEN', `You already have a watchlist named “${name}”.`);

/** Creates a watchlist at the end of the user's list. */
export async function createWatchlist(
  input: CreateWatchlistBody & { userId: string },
  deps: WatchlistDeps,
): Promise<WatchlistRecord> {
  const existing = await deps.watchlists.list(input.userId);
  if (existing.length >= MAX_WATCHLISTS)
    throw new AppError('WATCHLIST_LIMIT_REACHED', `You may keep at most ${MAX_WATCHLISTS} watchlists.`);
  const record: WatchlistRecord = {
    id: crypto.randomUUID(),
    userId: input.userId,
    name: input.name,
    position: existing.reduce((max, w) => Math.max(max, w.position + 1), 0),
    symbols: checkSymbols(input.symbols, deps),
  };
  if ((await deps.watchlists.insert(record)) === 'duplicate_name') throw nameTaken(input.name);
  return record;
}

/** Renames a watchlist and/or replaces its ordered symbols. */
export async function updateWatchlist(
  input: UpdateWatchlistBody & { userId: string; id: string },
  deps: WatchlistDeps,
): Promise<WatchlistRecord> {
  const patch = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.symbols !== undefined && { symbols: checkSymbols(input.symbols, deps) }),
  };
  const result = await deps.watchlists.update(input.userId, input.id, patch);
  if (result === 'not_found') throw new AppError('WATCHLIST_NOT_FOUND', 'No watchlist of yours has this id.');
  if (result === 'duplicate_name') throw nameTaken(input.name ?? '');
  return mustGet(input.userId, input.id, deps);
}

/** Appends a symbol (no-op when present). */
export async function addSymbol(
  input: { userId: string; id: string; symbol: string },
  deps: WatchlistDeps,
): Promise<WatchlistRecord> {
  const list = await mustGet(input.userId, input.id, deps);
  if (list.symbols.includes(input.symbol)) return list;
  return updateWatchlist(
    { userId: input.userId, id: input.id, symbols: [...list.symbols, input.symbol] },
    deps,
  );
}

/** Removes a symbol (no-op when absent). */
export async function removeSymbol(
  input: { userId: string; id: string; symbol: string },
  deps: WatchlistDeps,
): Promise<WatchlistRecord> {
  const list = await mustGet(input.userId, input.id, deps);
  if (!list.symbols.includes(input.symbol)) return list;
  return updateWatchlist(
    { userId: input.userId, id: input.id, symbols: list.symbols.filter((s) => s !== input.symbol) },
    deps,
  );
}

/** Deletes a watchlist. */
export async function deleteWatchlist(
  input: { userId: string; id: string },
  deps: WatchlistDeps,
): Promise<void> {
  if (!(await deps.watchlists.delete(input.userId, input.id))) {
    throw new AppError('WATCHLIST_NOT_FOUND', 'No watchlist of yours has this id.');
  }
}

/** Puts the user's watchlists in the given order; the ids must be exactly theirs. */
export async function reorderWatchlists(
  input: { userId: string; ids: readonly string[] },
  deps: WatchlistDeps,
): Promise<WatchlistRecord[]> {
  const current = await deps.watchlists.list(input.userId);
  const mine = new Set(current.map((w) => w.id));
  const given = new Set(input.ids);
  if (
    given.size !== input.ids.length ||
    given.size !== mine.size ||
    ![...given].every((id) => mine.has(id))
  ) {
    throw new AppError('WATCHLIST_INVALID_ORDER', 'List each of your watchlist ids exactly once.');
  }
  await deps.watchlists.reorder(input.userId, input.ids);
  return deps.watchlists.list(input.userId);
}
