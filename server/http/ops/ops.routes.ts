import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { OpsRuntime } from '../../ops/ops-runtime.js';
import { alertRoutes } from './alerts.routes.js';
import { incidentRoutes } from './incidents.routes.js';
import { INTAKE_EXCLUSIONS, intakeRoutes } from './intake.routes.js';
import { monitorRoutes } from './monitors.routes.js';
import { telemetryRoutes } from './telemetry.routes.js';
import { usageRoutes } from './usage.routes.js';

/**
 * Monitors probe internal hosts by design (admins only): their targets are not SSRF. Incident text
 * is prose, so only high-confidence rules read it.
 */
export const OPS_EXCLUSIONS = [
  ...INTAKE_EXCLUSIONS,
  { route: 'POST /api/v1/admin/monitors', field: 'body.check.*', skip: ['ssrf', 'rfi'] },
  { route: 'PATCH /api/v1/admin/monitors/:id', field: 'body.check.*', skip: ['ssrf', 'rfi'] },
  { route: 'POST /api/v1/admin/incidents', field: 'body.*', freeText: true },
  { route: 'POST /api/v1/admin/incidents/:id/updates', field: 'body.message', freeText: true },
  { route: 'POST /api/v1/admin/incidents/:id/resolve', field: 'body.message', freeText: true },
] as const;

export interface OpsRoutesOptions {
  ops: OpsRuntime;
  now: () => Date;
  release?: string;
}

const plugin: FastifyPluginAsync<OpsRoutesOptions> = async (app, { ops, now, release }) => {
  await app.register(intakeRoutes, { ops, now, ...(release !== undefined && { release }) });
  await app.register(monitorRoutes, { ops, now });
  await app.register(incidentRoutes, { incidents: ops.deps.incidents, now });
  await app.register(alertRoutes, { ops });
  await app.register(telemetryRoutes, { telemetry: ops.deps.telemetry, now });
  if (ops.deps.usage) await app.register(usageRoutes, { usage: ops.deps.usage });
};

/** The admin ops API (monitors, incidents, alerts, errors, vitals, firewall events) and the public intake. */
export const opsRoutes = fp(plugin, { name: 'pulse-ops', fastify: '5.x' });
