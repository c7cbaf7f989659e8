import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Ticker } from '../../../contracts/market.js';
import {
  AddSymbolBody,
  CreateWatchlistBody,
  ReorderWatchlistsBody,
  UpdateWatchlistBody,
  Watchlist,
} from '../../../contracts/watchlists.js';
import type { WatchlistRecord } from '../../ports.js';
import {
  addSymbol,
  createWatchlist,
  deleteWatchlist,
  removeSymbol,
  reorderWatchlists,
  updateWatchlist,
  type WatchlistDeps,
} from '../../watchlists/watchlists.js';
import { requireCaller } from '../auth/session.plugin.js';

const Id = z.object({ id: z.uuid() });

function present(record: WatchlistRecord): Watchlist {
  return { id: record.id, name: record.name, symbols: record.symbols, position: record.position };
}

/** The signed-in user's watchlists: list, create, rename, reorder, add and remove symbols, delete. */
export const watchlistRoutes: FastifyPluginAsyncZod<WatchlistDeps> = async (app, deps) => {
  const tags = ['watchlists'];

  app.get(
    '/api/v1/watchlists',
    { schema: { tags, summary: 'Your watchlists, in order', response: { 200: z.array(Watchlist) } } },
    async (request) => {
      const { user } = await requireCaller(request);
      return (await deps.watchlists.list(user.id)).map(present);
    },
  );

  app.post(
    '/api/v1/watchlists',
    {
      schema: {
        tags,
        summary: 'Create a watchlist',
        body: CreateWatchlistBody,
        response: { 201: Watchlist },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      return reply.code(201).send(present(await createWatchlist({ ...request.body, userId: user.id }, deps)));
    },
  );

  app.patch(
    '/api/v1/watchlists/:id',
    {
      schema: {
        tags,
        summary: 'Rename, or replace the ordered symbols',
        params: Id,
        body: UpdateWatchlistBody,
        response: { 200: Watchlist },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return present(
        await updateWatchlist({ ...request.body, userId: user.id, id: request.params.id }, deps),
      );
    },
  );

  app.delete(
    '/api/v1/watchlists/:id',
    { schema: { tags, summary: 'Delete a watchlist', params: Id, response: { 204: z.null() } } },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      await deleteWatchlist({ userId: user.id, id: request.params.id }, deps);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/watchlists/:id/symbols',
    {
      schema: {
        tags,
        summary: 'Append a symbol',
        params: Id,
        body: AddSymbolBody,
        response: { 200: Watchlist },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return present(
        await addSymbol({ userId: user.id, id: request.params.id, symbol: request.body.symbol }, deps),
      );
    },
  );

  app.delete(
    '/api/v1/watchlists/:id/symbols/:symbol',
    {
      schema: {
        tags,
        summary: 'Remove a symbol',
        params: Id.extend({ symbol: Ticker }),
        response: { 200: Watchlist },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return present(
        await removeSymbol({ userId: user.id, id: request.params.id, symbol: request.params.symbol }, deps),
      );
    },
  );

  app.put(
    '/api/v1/watchlists/order',
    {
      schema: {
        tags,
        summary: 'Reorder your watchlists',
        body: ReorderWatchlistsBody,
        response: { 200: z.array(Watchlist) },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return (await reorderWatchlists({ userId: user.id, ids: request.body.ids }, deps)).map(present);
    },
  );
};
