import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Liveness, Readiness } from '../../../contracts/health.js';
import type { ReadinessProbe } from '../../ports.js';

export interface HealthRoutesOptions {
  probes: readonly ReadinessProbe[];
  startedAt: number;
  /** True once shutdown began: readiness turns false so balancers stop sending traffic. */
  isDraining: () => boolean;
  probeTimeoutMs?: number;
}

async function runProbe(probe: ReadinessProbe, timeoutMs: number): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      probe.check().catch((error: unknown) => ({
        ok: false,
        detail: error instanceof Error ? error.message : 'failed',
      })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /healthz (the process is alive) and GET /readyz (every dependency is ready). */
export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, options) => {
  app.get(
    '/healthz',
    { schema: { tags: ['ops'], summary: 'Liveness: the process answers', response: { 200: Liveness } } },
    async () => ({
      status: 'ok' as const,
      uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
    }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness: database, migrations, market feed',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const timeoutMs = options.probeTimeoutMs ?? 2_000;
      const results = await Promise.all(
        options.probes.map(async (p) => [p.name, await runProbe(p, timeoutMs)] as const),
      );
      const components = Object.fromEntries(results);
      if (options.isDraining()) components.shutdown = { ok: false, detail: 'draining' };
      const ready = Object.values(components).every((c) => c.ok);
      return reply.code(ready ? 200 : 503).send({ ready, components });
    },
  );
};
