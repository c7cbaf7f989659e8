import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Ticker } from '../../../contracts/market.js';
import {
  ClosePositionQuery,
  ClosePositionResultJson,
  CloseAllQuery,
  OrderJson,
  PositionJson,
} from '../../../contracts/trading.js';
import { DomainError } from '../../../core/kernel/index.js';
import { requireCaller } from '../auth/session.plugin.js';
import type { TradingRoutesOptions } from './orders.routes.js';
import { bulkError, orderJson, positionJson, requireTrader } from './trading.presenter.js';

const SymbolParam = z.object({ symbol: Ticker });

/** The caller's positions, Alpaca-shaped: list, get, close one (all or part), close all. */
export const positionRoutes: FastifyPluginAsyncZod<TradingRoutesOptions> = async (app, { trading }) => {
  const tags = ['trading'];

  app.get(
    '/api/v1/positions',
    { schema: { tags, summary: 'Open positions', response: { 200: z.array(PositionJson) } } },
    async (request) => {
      const account = await trading.tradingAccount((await requireCaller(request)).user.id);
      return (await account.positions()).map(positionJson);
    },
  );

  app.get(
    '/api/v1/positions/:symbol',
    { schema: { tags, summary: 'One position', params: SymbolParam, response: { 200: PositionJson } } },
    async (request) => {
      const account = await trading.tradingAccount((await requireCaller(request)).user.id);
      const position = (await account.positions()).find((p) => p.symbol === request.params.symbol);
      if (!position)
        throw new DomainError('TRADING_POSITION_NOT_FOUND', 'position does not exist', request.params);
      return positionJson(position);
    },
  );

  app.delete(
    '/api/v1/positions/:symbol',
    {
      schema: {
        tags,
        summary: 'Close a position (all, qty shares or percentage percent)',
        params: SymbolParam,
        querystring: ClosePositionQuery,
        response: { 200: OrderJson },
      },
    },
    async (request) => {
      const account = await trading.tradingAccount((await requireTrader(request)).user.id);
      return orderJson(await account.closePosition(request.params.symbol, request.query));
    },
  );

  app.delete(
    '/api/v1/positions',
    {
      schema: {
        tags,
        summary: 'Close every position',
        querystring: CloseAllQuery,
        response: { 207: z.array(ClosePositionResultJson) },
      },
    },
    async (request, reply) => {
      const account = await trading.tradingAccount((await requireTrader(request)).user.id);
      const outcomes = await account.closeAllPositions(request.query.cancel_orders);
      return reply.code(207).send(
        outcomes.map((o) => {
          if ('order' in o) return { symbol: o.symbol, status: 200, body: orderJson(o.order) };
          const { status, body } = bulkError(o.error);
          return { symbol: o.symbol, status, body };
        }),
      );
    },
  );
};
