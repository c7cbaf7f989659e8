import { AUTH_ERRORS } from './errors/auth.js';
import { COMMON_ERRORS } from './errors/common.js';
import { EDGE_ERRORS } from './errors/edge.js';
import { MARKET_ERRORS } from './errors/market.js';
import { NOTIFY_ERRORS } from './errors/notify.js';
import { OPS_ERRORS } from './errors/ops.js';
import { SIGNALS_ERRORS } from './errors/signals.js';
import { TRADING_ERRORS } from './errors/trading.js';
import type { ErrorSpec } from './errors/spec.js';

export type { ErrorSpec } from './errors/spec.js';

/**
 * Every stable error code Pulse returns, as `{ code, message }` bodies, one file per area under
 * contracts/errors/. Codes never change meaning; docs/errors.md is generated from this table
 * (`npm run docs:errors`) and a test keeps the two in step.
 */
export const ERROR_CATALOG = {
  ...COMMON_ERRORS,
  ...AUTH_ERRORS,
  ...MARKET_ERRORS,
  ...TRADING_ERRORS,
  ...SIGNALS_ERRORS,
  ...EDGE_ERRORS,
  ...OPS_ERRORS,
  ...NOTIFY_ERRORS,
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** The body of every error response. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId?: string;
}
