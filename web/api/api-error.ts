import type { ErrorCode } from '../../contracts/errors.js';

/** Codes the client raises itself when no `{ code, message }` body came back. */
export type ClientErrorCode = 'CLIENT_NETWORK_ERROR' | 'CLIENT_BAD_RESPONSE';

/** A failed API call: the server's `{ code, message }`, or a client-side code when there was none. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** True when `error` is an ApiError with one of `codes`. */
export function isApiError(error: unknown, ...codes: (ErrorCode | ClientErrorCode)[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}
