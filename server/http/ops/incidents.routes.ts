import crypto from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateIncidentBody, Incident, IncidentUpdateBody } from '../../../contracts/ops.js';
import { AppError } from '../../errors.js';
import type { IncidentStore } from '../../ops/ops-ports.js';
import { requireAdmin } from './require-admin.js';

const Params = z.object({ id: z.string().min(1).max(64) });
const tags = ['ops'];
const DAY = 86_400_000;

/** Admins post incidents and maintenance windows, add updates and resolve them. */
export const incidentRoutes: FastifyPluginAsyncZod<{ incidents: IncidentStore; now: () => Date }> = async (
  app,
  { incidents, now },
) => {
  const notFound = () => new AppError('OPS_INCIDENT_NOT_FOUND', 'No incident with that id.');

  app.get(
    '/api/v1/admin/incidents',
    {
      schema: {
        tags,
        summary: 'Open and recent incidents and maintenance',
        response: { 200: Incident.array() },
      },
    },
    async (request) => {
      await requireAdmin(request);
      return incidents.recent(new Date(now().getTime() - 90 * DAY));
    },
  );

  app.post(
    '/api/v1/admin/incidents',
    {
      schema: {
        tags,
        summary: 'Post an incident or a maintenance window',
        body: CreateIncidentBody,
        response: { 201: Incident },
      },
    },
    async (request, reply) => {
      await requireAdmin(request);
      const incident = await incidents.create({ ...request.body, id: crypto.randomUUID(), at: now() });
      return reply.code(201).send(incident);
    },
  );

  app.post(
    '/api/v1/admin/incidents/:id/updates',
    {
      schema: {
        tags,
        summary: 'Add an update (status and message)',
        params: Params,
        body: IncidentUpdateBody,
        response: { 200: Incident },
      },
    },
    async (request) => {
      await requireAdmin(request);
      const incident = await incidents.addUpdate(request.params.id, { ...request.body, at: now() });
      if (!incident) throw notFound();
      return incident;
    },
  );

  app.post(
    '/api/v1/admin/incidents/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve an incident',
        params: Params,
        body: z
          .object({ message: z.string().trim().min(1).max(4_000).default('Resolved.') })
          .default({ message: 'Resolved.' }),
        response: { 200: Incident },
      },
    },
    async (request) => {
      await requireAdmin(request);
      const incident = await incidents.addUpdate(request.params.id, {
        status: 'resolved',
        message: request.body.message,
        at: now(),
      });
      if (!incident) throw notFound();
      return incident;
    },
  );
};
