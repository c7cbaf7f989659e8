import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorGroup, FirewallEventView, VitalsSummary } from '../../../contracts/ops.js';
import type { TelemetryStore } from '../../ops/ops-ports.js';
import { requireAdmin } from './require-admin.js';

const tags = ['ops'];
const DAY = 86_400_000;

/** Admin reads: error groups, web-vitals p75 per page, recent firewall events. */
export const telemetryRoutes: FastifyPluginAsyncZod<{ telemetry: TelemetryStore; now: () => Date }> = async (
  app,
  { telemetry, now },
) => {
  app.get(
    '/api/v1/admin/errors',
    {
      schema: {
        tags,
        summary: 'Error groups, most recently seen first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: ErrorGroup.array() },
      },
    },
    async (request) => {
      await requireAdmin(request);
      return telemetry.errorGroups(request.query.limit);
    },
  );

  app.get(
    '/api/v1/admin/vitals',
    {
      schema: {
        tags,
        summary: 'p75 of each web vital per page',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(30).default(7) }),
        response: { 200: VitalsSummary },
      },
    },
    async (request) => {
      await requireAdmin(request);
      return telemetry.vitalsP75(new Date(now().getTime() - request.query.days * DAY));
    },
  );

  app.get(
    '/api/v1/admin/firewall/events',
    {
      schema: {
        tags,
        summary: 'Recent firewall events, newest first',
        response: { 200: FirewallEventView.array() },
      },
    },
    async (request) => {
      await requireAdmin(request);
      if (!app.hasDecorator('firewall')) return [];
      return app.firewall
        .recent()
        .reverse()
        .map((e) => ({
          at: e.at,
          requestId: e.requestId,
          ip: e.ip,
          method: e.method,
          path: e.path,
          score: e.score,
          action: e.action,
          rules: e.matches.map((m) => m.ruleId),
        }));
    },
  );
};
