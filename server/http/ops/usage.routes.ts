import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PutUsageBudgetsBody, UsageReport } from '../../../contracts/ops.js';
import type { UsageService } from '../../ops/usage/usage-service.js';
import { requireAdmin } from './require-admin.js';

const tags = ['ops'];

/** Usage and cost for admins: business counts, Alpaca calls against its limits, storage, budgets. */
export const usageRoutes: FastifyPluginAsyncZod<{ usage: UsageService }> = async (app, { usage }) => {
  app.get(
    '/api/v1/admin/usage',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Business metrics, upstream API use, storage per table and budgets',
        response: { 200: UsageReport },
      },
    },
    async (request) => {
      await requireAdmin(request);
      return usage.report();
    },
  );

  app.put(
    '/api/v1/admin/usage/budgets',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Set usage budgets (limit null turns one off); answers the report',
        body: PutUsageBudgetsBody,
        response: { 200: UsageReport },
      },
    },
    async (request) => {
      await requireAdmin(request);
      return usage.setBudgets(request.body);
    },
  );
};
