import type { ErrorSpec } from './spec.js';

/** Ops errors. */
export const OPS_ERRORS = {
  OPS_MONITOR_NOT_FOUND: {
    status: 404,
    description: 'No uptime monitor has that id (it may have been deleted).',
  },
  OPS_INCIDENT_NOT_FOUND: { status: 404, description: 'No incident or maintenance window has that id.' },
  OPS_ALERT_NOT_FOUND: { status: 404, description: 'No alert has that id.' },
  OPS_INTAKE_RATE_LIMITED: {
    status: 429,
    description:
      'Too many error or web-vitals reports from this client; they are best effort, so drop them and send later ones.',
  },
  OPS_INTAKE_UNAVAILABLE: {
    status: 503,
    description: 'The telemetry queue is full; the report was dropped and counted. Trading is not affected.',
  },
} as const satisfies Record<string, ErrorSpec>;
