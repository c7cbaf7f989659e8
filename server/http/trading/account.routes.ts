import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountJson,
  ActivitiesQuery,
  FillActivityJson,
  FillModelBody,
  KillSwitchBody,
  KillSwitchJson,
  PortfolioHistoryJson,
  PortfolioHistoryQuery,
  RiskLimitsBody,
  RiskLimitsView,
} from '../../../contracts/trading.js';
import { AppError } from '../../errors.js';
import { fillModelFromJson, riskLimitsFromJson, riskLimitsToJson } from '../../trading/settings.js';
import { requireCaller } from '../auth/session.plugin.js';
import type { TradingRoutesOptions } from './orders.routes.js';
import { instant, presentFill, presentTradingAccount, requireTrader } from './trading.presenter.js';

/**
 * The caller's account, fills, equity history, fill model and risk limits (which guard paper and Alpaca
 * orders alike); the global kill switch.
 */
export const accountRoutes: FastifyPluginAsyncZod<TradingRoutesOptions> = async (app, { trading }) => {
  const tags = ['trading'];

  app.get(
    '/api/v1/account',
    {
      schema: {
        tags,
        summary: 'The account you trade through (paper, or your Alpaca account)',
        response: { 200: AccountJson },
      },
    },
    async (request) => {
      const account = await trading.tradingAccount((await requireCaller(request)).user.id);
      return presentTradingAccount(account, trading.killSwitch);
    },
  );

  app.put(
    '/api/v1/account/fill-model',
    {
      schema: {
        tags,
        summary: 'Change your fill model',
        body: FillModelBody,
        response: { 200: AccountJson },
      },
    },
    async (request) => {
      const { user } = await requireTrader(request);
      if ((await trading.brokerChoice(user.id)).broker !== 'paper')
        throw new AppError(
          'TRADING_BROKER_UNSUPPORTED',
          'The fill model is the paper simulator’s: switch to it in Settings to change it.',
        );
      const current = (await trading.paperRecord(user.id)).fillModel;
      await trading.configure(user.id, { fillModel: fillModelFromJson(request.body, current) });
      return presentTradingAccount(await trading.tradingAccount(user.id), trading.killSwitch);
    },
  );

  app.get(
    '/api/v1/risk-limits',
    { schema: { tags, summary: 'Your risk limits', response: { 200: RiskLimitsView } } },
    async (request) => {
      const record = await trading.paperRecord((await requireCaller(request)).user.id);
      return { ...riskLimitsToJson(record.riskLimits), kill_switch: trading.killSwitch };
    },
  );

  app.put(
    '/api/v1/risk-limits',
    {
      schema: {
        tags,
        summary: 'Change your risk limits',
        body: RiskLimitsBody,
        response: { 200: RiskLimitsView },
      },
    },
    async (request) => {
      const { user } = await requireTrader(request);
      const current = (await trading.paperRecord(user.id)).riskLimits;
      const record = await trading.configure(user.id, {
        riskLimits: riskLimitsFromJson(request.body, current),
      });
      return { ...riskLimitsToJson(record.riskLimits), kill_switch: trading.killSwitch };
    },
  );

  app.put(
    '/api/v1/admin/kill-switch',
    {
      schema: {
        tags,
        summary: 'Block all new orders and cancel every open one (owner/admin)',
        body: KillSwitchBody,
        response: { 200: KillSwitchJson },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      if (user.role !== 'owner' && user.role !== 'admin')
        throw new AppError('AUTH_FORBIDDEN', 'Only the owner or an admin may use the kill switch.');
      const canceled = await trading.setKillSwitch(request.body.active);
      return { active: trading.killSwitch, canceled };
    },
  );

  app.get(
    '/api/v1/activities',
    {
      schema: {
        tags,
        summary: 'Your fills (FILL activities), newest first, paged by page_token',
        querystring: ActivitiesQuery,
        response: { 200: z.array(FillActivityJson) },
      },
    },
    async (request) => {
      const account = await trading.tradingAccount((await requireCaller(request)).user.id);
      const q = request.query;
      const fills = await account.fills({
        direction: q.direction,
        limit: q.page_size,
        after: q.page_token ? (q.page_token.split('::').at(-1) ?? '') : undefined,
        from: instant('after', q.after),
        to: instant('until', q.until),
      });
      return fills.map(presentFill);
    },
  );

  app.get(
    '/api/v1/portfolio/history',
    {
      schema: {
        tags,
        summary: 'Your equity over time (parallel arrays, epoch seconds)',
        querystring: PortfolioHistoryQuery,
        response: { 200: PortfolioHistoryJson },
      },
    },
    async (request) => {
      const account = await trading.tradingAccount((await requireCaller(request)).user.id);
      return account.portfolioHistory({
        period: request.query.period,
        timeframe: request.query.timeframe,
        end: instant('date_end', request.query.date_end),
      });
    },
  );
};
