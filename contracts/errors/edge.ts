import type { ErrorSpec } from './spec.js';

/** Edge errors. */
export const EDGE_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
