import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CancelResultJson,
  NewOrderBody,
  OrderJson,
  OrdersQuery,
  ReplaceOrderBody,
} from '../../../contracts/trading.js';
import type { Order } from '../../../core/trading/index.js';
import { orderNotFound } from '../../trading/paper-account.js';
import type { TradingService } from '../../trading/trading-service.js';
import { requireCaller } from '../auth/session.plugin.js';
import {
  instant,
  presentOrderOf,
  requireTrader,
  toOrderRequest,
  toReplaceRequest,
} from './trading.presenter.js';

/** What the trading routes need. */
export interface TradingRoutesOptions {
  trading: TradingService;
}

const Id = z.object({ id: z.string().min(1).max(128) });
const Nested = z.object({ nested: z.union([z.boolean(), z.enum(['true', 'false'])]).optional() });
const isNested = (q: { nested?: boolean | string | undefined }) => q.nested === true || q.nested === 'true';

/**
 * The caller's orders, Alpaca-shaped: place, list, get (by id or client id), replace, cancel; through the
 * account the caller trades with (paper, or their Alpaca account).
 */
export const orderRoutes: FastifyPluginAsyncZod<TradingRoutesOptions> = async (app, { trading }) => {
  const tags = ['trading'];

  app.post(
    '/api/v1/orders',
    { schema: { tags, summary: 'Place an order', body: NewOrderBody, response: { 200: OrderJson } } },
    async (request) => {
      const account = await trading.tradingAccount((await requireTrader(request)).user.id);
      const order = await account.placeOrder(toOrderRequest(request.body));
      return presentOrderOf(account, order, true);
    },
  );

  app.get(
    '/api/v1/orders',
    {
      schema: {
        tags,
        summary: 'List orders',
        querystring: OrdersQuery,
        response: { 200: z.array(OrderJson) },
      },
    },
    async (request) => {
      const account = await trading.tradingAccount((await requireCaller(request)).user.id);
      const q = request.query;
      const after = instant('after', q.after);
      const until = instant('until', q.until);
      const orders = await account.listOrders({
        status: q.status,
        limit: q.limit,
        direction: q.direction,
        ...(after !== undefined && { after }),
        ...(until !== undefined && { until }),
        ...(q.symbols && { symbols: q.symbols.split(',').map((s) => s.trim().toUpperCase()) }),
        ...(q.side && { side: q.side }),
      });
      const shown = q.nested ? orders.filter((o: Order) => o.parentId === null) : orders;
      return Promise.all(shown.map((o) => presentOrderOf(account, o, q.nested)));
    },
  );

  app.get(
    '/api/v1/orders::by_client_order_id',
    {
      schema: {
        tags,
        summary: 'Get an order by client_order_id',
        querystring: z.object({ client_order_id: z.string().min(1).max(128) }),
        response: { 200: OrderJson },
      },
    },
    async (request) => {
      const account = await trading.tradingAccount((await requireCaller(request)).user.id);
      const cid = request.query.client_order_id;
      const order = await account.getOrderByClientId(cid);
      if (!order) throw orderNotFound(cid);
      return presentOrderOf(account, order, false);
    },
  );

  app.get(
    '/api/v1/orders/:id',
    {
      schema: {
        tags,
        summary: 'Get an order',
        params: Id,
        querystring: Nested,
        response: { 200: OrderJson },
      },
    },
    async (request) => {
      const account = await trading.tradingAccount((await requireCaller(request)).user.id);
      const order = await account.getOrder(request.params.id);
      if (!order) throw orderNotFound(request.params.id);
      return presentOrderOf(account, order, isNested(request.query));
    },
  );

  app.patch(
    '/api/v1/orders/:id',
    {
      schema: {
        tags,
        summary: 'Replace an order',
        params: Id,
        body: ReplaceOrderBody,
        response: { 200: OrderJson },
      },
    },
    async (request) => {
      const account = await trading.tradingAccount((await requireTrader(request)).user.id);
      const order = await account.replaceOrder(request.params.id, toReplaceRequest(request.body));
      return presentOrderOf(account, order, false);
    },
  );

  app.delete(
    '/api/v1/orders/:id',
    { schema: { tags, summary: 'Cancel an order', params: Id, response: { 204: z.null() } } },
    async (request, reply) => {
      const account = await trading.tradingAccount((await requireTrader(request)).user.id);
      await account.cancelOrder(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/orders',
    { schema: { tags, summary: 'Cancel every open order', response: { 207: z.array(CancelResultJson) } } },
    async (request, reply) => {
      const account = await trading.tradingAccount((await requireTrader(request)).user.id);
      return reply.code(207).send(await account.cancelAllOrders());
    },
  );
};
