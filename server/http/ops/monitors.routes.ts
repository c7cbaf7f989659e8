import crypto from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateMonitorBody, Monitor, MonitorHistory, UpdateMonitorBody } from '../../../contracts/ops.js';
import { AppError } from '../../errors.js';
import { RETENTION } from '../../ops/monitors/monitor-runner.js';
import type { OpsRuntime } from '../../ops/ops-runtime.js';
import { presentMonitor } from './ops.presenter.js';
import { requireAdmin } from './require-admin.js';

const Params = z.object({ id: z.string().min(1).max(64) });
const tags = ['ops'];

/** Admin CRUD over uptime monitors and their history. */
export const monitorRoutes: FastifyPluginAsyncZod<{ ops: OpsRuntime; now: () => Date }> = async (
  app,
  { ops, now },
) => {
  const store = ops.deps.monitors;
  const notFound = () => new AppError('OPS_MONITOR_NOT_FOUND', 'No monitor with that id.');
  const reload = () =>
    ops.runner.reload().catch((error: unknown) => app.log.error({ err: error }, 'reloading monitors failed'));

  app.get(
    '/api/v1/admin/monitors',
    { schema: { tags, summary: 'List monitors with uptime', response: { 200: Monitor.array() } } },
    async (request) => {
      await requireAdmin(request);
      const [monitors, uptime] = await Promise.all([store.list(), store.uptime(now())]);
      return monitors.map((m) => presentMonitor(m, uptime.get(m.id)));
    },
  );

  app.post(
    '/api/v1/admin/monitors',
    { schema: { tags, summary: 'Create a monitor', body: CreateMonitorBody, response: { 201: Monitor } } },
    async (request, reply) => {
      await requireAdmin(request);
      const b = request.body;
      if (b.timeoutMs >= b.intervalMs && b.intervalMs < 60_000)
        throw new AppError('REQUEST_VALIDATION_FAILED', 'body.timeoutMs: must be shorter than intervalMs');
      const record = {
        id: crypto.randomUUID(),
        name: b.name,
        check: b.check,
        intervalMs: b.intervalMs,
        timeoutMs: b.timeoutMs,
        retries: b.retries,
        enabled: b.enabled,
        component: b.component ?? null,
        status: 'pending' as const,
        failures: 0,
        lastCheckedAt: null,
        lastChangeAt: null,
        lastDetail: null,
      };
      await store.insert(record);
      await reload();
      return reply.code(201).send(presentMonitor(record, undefined));
    },
  );

  app.patch(
    '/api/v1/admin/monitors/:id',
    {
      schema: {
        tags,
        summary: 'Change a monitor',
        params: Params,
        body: UpdateMonitorBody,
        response: { 200: Monitor },
      },
    },
    async (request) => {
      await requireAdmin(request);
      const updated = await store.update(request.params.id, request.body);
      if (!updated) throw notFound();
      await reload();
      return presentMonitor(updated, (await store.uptime(now())).get(updated.id));
    },
  );

  app.delete(
    '/api/v1/admin/monitors/:id',
    { schema: { tags, summary: 'Delete a monitor', params: Params } },
    async (request, reply) => {
      await requireAdmin(request);
      if (!(await store.delete(request.params.id))) throw notFound();
      await reload();
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/admin/monitors/:id/history',
    {
      schema: {
        tags,
        summary: 'Raw results (48 h) and hourly rollups (90 d)',
        params: Params,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(5_000).default(500) }),
        response: { 200: MonitorHistory },
      },
    },
    async (request) => {
      await requireAdmin(request);
      const { id } = request.params;
      if (!(await store.get(id))) throw notFound();
      const t = now().getTime();
      const [results, hourly] = await Promise.all([
        store.results(id, new Date(t - RETENTION.rawMs), request.query.limit),
        store.hourly(id, new Date(t - RETENTION.hourlyMs)),
      ]);
      return {
        results: results.map((r) => ({
          at: r.at.toISOString(),
          ok: r.ok,
          latencyMs: r.latencyMs,
          detail: r.detail,
          status: r.status,
        })),
        hourly: hourly.map((h) => ({ ...h, hour: h.hour.toISOString() })),
      };
    },
  );
};
