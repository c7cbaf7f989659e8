import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Backtest, CreateBacktestBody, RuleInvalidBody } from '../../../contracts/signals.js';
import type { BacktestJobs } from '../../jobs/backtest-jobs.js';
import { AppError } from '../../errors.js';
import { requireCaller } from '../auth/session.plugin.js';
import { answerRuleErrors } from './rule-errors.js';
import { presentBacktest } from './signals.presenter.js';

const Id = z.object({ id: z.uuid() });

/** Backtests as jobs: queue one (run in a worker thread), follow its progress, reopen its report, cancel it. */
export const backtestRoutes: FastifyPluginAsyncZod<{
  jobs: BacktestJobs;
  isKnownSymbol: (symbol: string) => boolean;
}> = async (app, deps) => {
  const tags = ['backtests'];
  answerRuleErrors(app);

  app.post(
    '/api/v1/backtests',
    {
      schema: {
        tags,
        summary: 'Queue a backtest (rules checked now: 422 with line and column); poll GET for progress',
        body: CreateBacktestBody,
        response: { 202: Backtest, 422: RuleInvalidBody },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      if (!deps.isKnownSymbol(request.body.symbol))
        throw new AppError('MARKET_UNKNOWN_SYMBOL', `No instrument has the symbol ${request.body.symbol}`);
      return reply.code(202).send(presentBacktest(await deps.jobs.submit(user.id, request.body)));
    },
  );

  app.get(
    '/api/v1/backtests',
    { schema: { tags, summary: 'Your latest backtests', response: { 200: z.array(Backtest) } } },
    async (request) => {
      const { user } = await requireCaller(request);
      return (await deps.jobs.list(user.id)).map(presentBacktest);
    },
  );

  app.get(
    '/api/v1/backtests/:id',
    {
      schema: {
        tags,
        summary: 'Status, progress 0–1, and the report when done',
        params: Id,
        response: { 200: Backtest },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return presentBacktest(await deps.jobs.get(user.id, request.params.id));
    },
  );

  app.delete(
    '/api/v1/backtests/:id',
    {
      schema: {
        tags,
        summary: 'Cancel a queued or running backtest',
        params: Id,
        response: { 200: Backtest },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return presentBacktest(await deps.jobs.cancel(user.id, request.params.id));
    },
  );
};
