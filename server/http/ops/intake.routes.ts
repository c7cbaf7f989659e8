import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorReport, VitalsReport } from '../../../contracts/ops.js';
import { type BucketRule, type BucketState, takeTokens } from '../../edge/rate-limit/index.js';
import { AppError, toErrorBody } from '../../errors.js';
import { fingerprint } from '../../ops/intake/fingerprint.js';
import { parseStack } from '../../ops/intake/source-map.js';
import type { OpsRuntime } from '../../ops/ops-runtime.js';
import type { ErrorOccurrence } from '../../ops/ops-ports.js';

/** Reports larger than this are refused with 413 before parsing. */
export const INTAKE_BODY_LIMIT = 16 * 1024;

/** Stack traces and messages quote code: the firewall must not read them as attacks. */
export const INTAKE_EXCLUSIONS = [
  { route: 'POST /api/v1/intake/errors', field: 'body.errors[*].*', skip: ['*'] },
  { route: 'POST /api/v1/intake/errors', field: 'body.route', skip: ['*'] },
  { route: 'POST /api/v1/intake/vitals', field: 'body.samples[*].route', skip: ['*'] },
] as const;

export interface IntakeOptions {
  ops: OpsRuntime;
  now: () => Date;
  /** Per-client budget (default a burst of 30, then one report every 2 s). */
  rate?: BucketRule;
  /** Release of the running server, for its own errors. */
  release?: string;
}

const MAX_CLIENTS = 10_000;

async function intake(app: FastifyInstance, options: IntakeOptions): Promise<void> {
  const { ops, now } = options;
  const rate = options.rate ?? { capacity: 30, refillPerSecond: 0.5 };
  const buckets = new Map<string, BucketState>();
  const typed = app.withTypeProvider<ZodTypeProvider>();

  // Its own budget, per client address, so a flood of reports never spends the trading API's.
  const admit = (request: FastifyRequest) => {
    const t = now().getTime();
    const decision = takeTokens(buckets.get(request.ip), rate, t);
    if (buckets.size >= MAX_CLIENTS && !buckets.has(request.ip)) buckets.clear();
    buckets.set(request.ip, decision.state);
    if (!decision.allowed)
      throw new AppError(
        'OPS_INTAKE_RATE_LIMITED',
        `Too many reports; retry in ${Math.ceil(decision.retryAfterMs / 1000)} s.`,
      );
  };

  typed.post(
    '/api/v1/intake/vitals',
    {
      bodyLimit: INTAKE_BODY_LIMIT,
      schema: { tags: ['ops'], summary: 'Web-vitals samples from the browser', body: VitalsReport },
    },
    async (request, reply) => {
      admit(request);
      const at = now();
      const { release, browser, samples } = request.body;
      const accepted = ops.intake.offerVitals(
        samples.map((s) => ({
          at,
          name: s.name,
          value: s.value,
          route: s.route,
          release,
          browser: browser ?? null,
        })),
      );
      if (accepted === 0)
        throw new AppError('OPS_INTAKE_UNAVAILABLE', 'The report queue is full; the report was dropped.');
      return reply.code(202).send();
    },
  );

  typed.post(
    '/api/v1/intake/errors',
    {
      bodyLimit: INTAKE_BODY_LIMIT,
      schema: {
        tags: ['ops'],
        summary: 'Uncaught errors and rejections from the browser',
        body: ErrorReport,
      },
    },
    async (request, reply) => {
      admit(request);
      const at = now();
      const { release, browser, route, errors } = request.body;
      const occurrences: ErrorOccurrence[] = [];
      for (const e of errors) {
        const mapped = e.stack && ops.sourceMaps ? await ops.sourceMaps.mapStack(e.stack) : undefined;
        const frames = mapped?.frames ?? (e.stack ? parseStack(e.stack) : []);
        occurrences.push({
          fingerprint: fingerprint(e.type, e.message, frames),
          source: 'browser',
          type: e.type,
          message: e.message,
          at,
          release,
          route,
          browser: browser ?? null,
          stack: e.stack ?? null,
          mappedStack: mapped?.mapped ?? null,
        });
      }
      if (ops.intake.offerErrors(occurrences) === 0)
        throw new AppError('OPS_INTAKE_UNAVAILABLE', 'The report queue is full; the report was dropped.');
      return reply.code(202).send();
    },
  );

  // The error handler's unexpected errors (500s) land in the same store as the browser's.
  app.addHook('onError', async (request, _reply, error) => {
    if (!toErrorBody(error).unexpected) return;
    const stack = error.stack ?? null;
    ops.intake.offerErrors([
      {
        fingerprint: fingerprint(error.name, error.message, stack ? parseStack(stack) : []),
        source: 'server',
        type: error.name,
        message: error.message.slice(0, 1_000),
        at: now(),
        release: options.release ?? null,
        route: request.routeOptions.url ?? null,
        browser: null,
        stack: stack?.slice(0, 8_000) ?? null,
        mappedStack: null,
      },
    ]);
  });
}

/** Not encapsulated: the onError hook must see every route's errors. */
export const intakeRoutes = fp(intake, { name: 'pulse-intake', fastify: '5.x' });
