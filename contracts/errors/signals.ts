import type { ErrorSpec } from './spec.js';

/** Signals errors. */
export const SIGNALS_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
