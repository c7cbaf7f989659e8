import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateSignalBody,
  FiringsQuery,
  PreviewBody,
  PreviewResult,
  RuleInvalidBody,
  Signal,
  SignalFiring,
  UpdateSignalBody,
} from '../../../contracts/signals.js';
import {
  createSignal,
  deleteSignal,
  getSignal,
  listFirings,
  previewSignal,
  type SignalDeps,
} from '../../signals/signal-commands.js';
import { updateSignal } from '../../signals/signal-commands.js';
import { requireCaller } from '../auth/session.plugin.js';
import { answerRuleErrors } from './rule-errors.js';
import { presentFiring, presentSignal } from './signals.presenter.js';

const Id = z.object({ id: z.uuid() });

/** The signed-in user's live signals: CRUD, firings, and a preview of where a rule would have fired. */
export const signalRoutes: FastifyPluginAsyncZod<SignalDeps> = async (app, deps) => {
  const tags = ['signals'];
  answerRuleErrors(app);

  app.get(
    '/api/v1/signals',
    { schema: { tags, summary: 'Your signals', response: { 200: z.array(Signal) } } },
    async (request) => {
      const { user } = await requireCaller(request);
      return (await deps.signals.list(user.id)).map(presentSignal);
    },
  );

  app.post(
    '/api/v1/signals',
    {
      schema: {
        tags,
        summary: 'Create a signal (the rule is checked: 422 with line and column when it does not)',
        body: CreateSignalBody,
        response: { 201: Signal, 422: RuleInvalidBody },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      return reply
        .code(201)
        .send(presentSignal(await createSignal({ ...request.body, userId: user.id }, deps)));
    },
  );

  app.post(
    '/api/v1/signals/preview',
    {
      schema: {
        tags,
        summary: 'Where a rule would have fired over recent closed bars (chart markers)',
        body: PreviewBody,
        response: { 200: PreviewResult, 422: RuleInvalidBody },
      },
    },
    async (request) => {
      await requireCaller(request);
      const body = request.body;
      const preview = await previewSignal(body, deps);
      const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
      return {
        symbol: body.symbol,
        timeframe: body.timeframe,
        from: iso(preview.from),
        to: iso(preview.to),
        bars: preview.bars,
        warmup: preview.warmup,
        firings: preview.firings.map((f) => ({
          t: f.t,
          time: new Date(f.t).toISOString(),
          values: { ...f.values },
        })),
      };
    },
  );

  app.get(
    '/api/v1/signals/:id',
    { schema: { tags, summary: 'One signal', params: Id, response: { 200: Signal } } },
    async (request) => {
      const { user } = await requireCaller(request);
      return presentSignal(await getSignal({ userId: user.id, id: request.params.id }, deps));
    },
  );

  app.patch(
    '/api/v1/signals/:id',
    {
      schema: {
        tags,
        summary: 'Edit a signal (a new rule, symbols, timeframe or policy restarts its firing state)',
        params: Id,
        body: UpdateSignalBody,
        response: { 200: Signal, 422: RuleInvalidBody },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return presentSignal(
        await updateSignal({ ...request.body, userId: user.id, id: request.params.id }, deps),
      );
    },
  );

  app.delete(
    '/api/v1/signals/:id',
    { schema: { tags, summary: 'Delete a signal and its firings', params: Id, response: { 204: z.null() } } },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      await deleteSignal({ userId: user.id, id: request.params.id }, deps);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/signals/:id/firings',
    {
      schema: {
        tags,
        summary: 'The signal’s firings, newest first',
        params: Id,
        querystring: FiringsQuery,
        response: { 200: z.array(SignalFiring) },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      const { limit, before } = request.query;
      const firings = await listFirings(
        {
          userId: user.id,
          id: request.params.id,
          limit,
          ...(before !== undefined && { before: Date.parse(before) }),
        },
        deps,
      );
      return firings.map(presentFiring);
    },
  );
};
