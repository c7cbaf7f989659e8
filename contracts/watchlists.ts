import { z } from 'zod';
import { Ticker } from './market.js';

/** A user's named, ordered list of symbols. */
export const Watchlist = z.object({
  id: z.string(),
  name: z.string(),
  symbols: z.array(z.string()),
  position: z.number().int(),
});
export type Watchlist = z.infer<typeof Watchlist>;

export const WatchlistName = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');

export const CreateWatchlistBody = z
  .object({ name: WatchlistName, symbols: z.array(Ticker).max(200).default([]) })
  .strict();
export type CreateWatchlistBody = z.infer<typeof CreateWatchlistBody>;

/** Rename and/or replace the ordered symbols (reorder = send the new order). */
export const UpdateWatchlistBody = z
  .object({ name: WatchlistName.optional(), symbols: z.array(Ticker).max(200).optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.symbols !== undefined, 'send name or symbols');
export type UpdateWatchlistBody = z.infer<typeof UpdateWatchlistBody>;

export const AddSymbolBody = z.object({ symbol: Ticker }).strict();

/** The new order of a user's watchlists, by id. */
export const ReorderWatchlistsBody = z.object({ ids: z.array(z.string()).max(100) }).strict();
