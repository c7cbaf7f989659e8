import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StatusPage } from '../../../contracts/ops.js';
import type { IncidentStore, MonitorStore } from '../../ops/ops-ports.js';
import { buildStatusPage } from '../../ops/status/status-model.js';
import { renderStatusHtml, STATUS_CSS } from './status-html.js';

const DAY = 86_400_000;

export interface StatusRoutesOptions {
  monitors: MonitorStore;
  incidents: IncidentStore;
  now: () => Date;
  title?: string;
}

/** The public status page (GET /status, HTML without JavaScript), its stylesheet, and GET /api/v1/status. */
export const statusRoutes: FastifyPluginAsyncZod<StatusRoutesOptions> = async (app, options) => {
  const load = async () => {
    const now = options.now().getTime();
    const [monitors, daily, incidents] = await Promise.all([
      options.monitors.list(),
      options.monitors.daily(new Date(Math.floor(now / DAY) * DAY - 89 * DAY)),
      options.incidents.recent(new Date(now - 90 * DAY)),
    ]);
    return buildStatusPage({ now, monitors, daily, incidents });
  };

  app.get(
    '/api/v1/status',
    {
      schema: {
        tags: ['ops'],
        summary: 'Public status: components, uptime, incidents, maintenance',
        response: { 200: StatusPage },
      },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=30');
      return load();
    },
  );

  app.get('/status', { schema: { hide: true } }, async (_request, reply) => {
    const html = renderStatusHtml(await load(), options.title);
    return reply.header('Cache-Control', 'public, max-age=30').type('text/html; charset=utf-8').send(html);
  });

  app.get('/status.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('Cache-Control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STATUS_CSS),
  );
};
