import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountRoutes } from './account.routes.js';
import { brokerChoiceRoutes } from './broker-choice.routes.js';
import { orderRoutes, type TradingRoutesOptions } from './orders.routes.js';
import { positionRoutes } from './positions.routes.js';

/** Trading for the signed-in user (paper, or their Alpaca account): account, orders, positions, activities, history, limits. */
export const tradingRoutes: FastifyPluginAsyncZod<TradingRoutesOptions> = async (app, options) => {
  await app.register(orderRoutes, options);
  await app.register(positionRoutes, options);
  await app.register(accountRoutes, options);
  await app.register(brokerChoiceRoutes, options);
};
