import type { ErrorSpec } from './spec.js';

/** Trading errors. */
export const TRADING_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
