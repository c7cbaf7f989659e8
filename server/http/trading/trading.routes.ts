import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountRoutes } from './account.routes.js';
import { orderRoutes, type TradingRoutesOptions } from './orders.routes.js';
import { positionRoutes } from './positions.routes.js';

/** Paper trading for the signed-in user: account, orders, positions, activities, history, limits. */
export const tradingRoutes: FastifyPluginAsyncZod<TradingRoutesOptions> = async (app, options) => {
  await app.register(orderRoutes, options);
  await app.register(positionRoutes, options);
  await app.register(accountRoutes, options);
};
