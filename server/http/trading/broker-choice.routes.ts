import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TradingAccountChoiceBody, TradingAccountChoiceJson } from '../../../contracts/trading.js';
import type { BrokerChoiceView } from '../../trading/user-brokers.js';
import { requireCaller } from '../auth/session.plugin.js';
import type { TradingRoutesOptions } from './orders.routes.js';

function present(view: BrokerChoiceView): TradingAccountChoiceJson {
  return { broker: view.broker, live: view.live, alpaca_keys: view.keys };
}

/** Which account the caller trades through: the paper simulator (default) or their Alpaca account. */
export const brokerChoiceRoutes: FastifyPluginAsyncZod<TradingRoutesOptions> = async (app, { trading }) => {
  const tags = ['trading'];

  app.get(
    '/api/v1/trading-account',
    {
      schema: {
        tags,
        summary: 'Which account you trade through, and the scope of your saved Alpaca keys',
        response: { 200: TradingAccountChoiceJson },
      },
    },
    async (request) => present(await trading.brokerChoice((await requireCaller(request)).user.id)),
  );

  app.put(
    '/api/v1/trading-account',
    {
      // Like saving broker keys: a choice about one's own money, made in a session, not by a token.
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Trade through the paper simulator or your Alpaca account (needs saved keys)',
        body: TradingAccountChoiceBody,
        response: { 200: TradingAccountChoiceJson },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return present(await trading.chooseBroker(user.id, request.body.broker, new Date(), request.ip));
    },
  );
};
