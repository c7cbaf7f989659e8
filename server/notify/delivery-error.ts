/**
 * Why a send failed. `transient` (timeouts, network errors, 429, 5xx) is retried with backoff;
 * `permanent` (any other 4xx, a rejected recipient) is not.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly kind: 'transient' | 'permanent',
    message: string,
    /** The server asked to wait this long (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Classifies an HTTP status: 2xx is success (undefined), 408/425/429/5xx transient, other 4xx permanent. */
export function httpStatusError(
  status: number,
  detail: string,
  retryAfterMs?: number,
): DeliveryError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const transient = status === 408 || status === 425 || status === 429 || status >= 500 || status < 200;
  return new DeliveryError(
    transient ? 'transient' : 'permanent',
    `HTTP ${status}${detail ? `: ${detail}` : ''}`,
    retryAfterMs,
  );
}

/** Any thrown value as a DeliveryError: unknown errors (network, timeouts) count as transient. */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return new DeliveryError('transient', 'timed out');
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError('transient', message || 'send failed');
}
