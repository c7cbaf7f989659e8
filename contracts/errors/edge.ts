import type { ErrorSpec } from './spec.js';

/** Edge errors. */
export const EDGE_ERRORS = {
  EDGE_REQUEST_BLOCKED: {
    status: 403,
    description:
      'The in-process firewall scored the request as an attack; `rules` lists the rule ids and `requestId` finds the logged event.',
  },
  EDGE_RATE_LIMITED: {
    status: 429,
    description:
      'Too many requests from this caller or IP for this kind of route; wait `Retry-After` seconds.',
  },
} as const satisfies Record<string, ErrorSpec>;
