import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Alert } from '../../../contracts/ops.js';
import { AppError } from '../../errors.js';
import type { OpsRuntime } from '../../ops/ops-runtime.js';
import { requireAdmin } from './require-admin.js';

const tags = ['ops'];

/** Admins list alerts and rules, and acknowledge alerts (which stops escalation). */
export const alertRoutes: FastifyPluginAsyncZod<{ ops: OpsRuntime }> = async (app, { ops }) => {
  app.get(
    '/api/v1/admin/alerts',
    {
      schema: {
        tags,
        summary: 'Firing alerts first, then recent ones',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: Alert.array() },
      },
    },
    async (request) => {
      await requireAdmin(request);
      return ops.deps.alerts.list(request.query.limit);
    },
  );

  app.post(
    '/api/v1/admin/alerts/:id/ack',
    {
      schema: {
        tags,
        summary: 'Acknowledge an alert',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: Alert },
      },
    },
    async (request) => {
      const caller = await requireAdmin(request);
      const alert = await ops.alerts.acknowledge(request.params.id, caller.user.id);
      if (!alert) throw new AppError('OPS_ALERT_NOT_FOUND', 'No alert with that id.');
      // A new error group is news, not a condition: acknowledging it closes it.
      if (alert.key.startsWith('error:') && alert.status === 'firing')
        return (await ops.alerts.resolve(alert.key)) ?? alert;
      return alert;
    },
  );

  app.get(
    '/api/v1/admin/alert-rules',
    { schema: { tags, summary: 'The alert rules in force' } },
    async (request) => {
      await requireAdmin(request);
      return ops.alertRules;
    },
  );
};
