import type { ErrorSpec } from './spec.js';

/** Ops errors. */
export const OPS_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
