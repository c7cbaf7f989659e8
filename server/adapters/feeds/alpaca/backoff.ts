/** Reconnect pacing: exponential growth, capped, with full jitter so clients never reconnect in step. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** The delay before reconnect attempt `attempt` (0-based); `random` in [0, 1). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  // "Equal jitter": at least half the ceiling, so a 429 storm cannot collapse to near-zero delays.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Milliseconds to wait after a 429, from Retry-After (seconds or HTTP date) or X-RateLimit-Reset (epoch s). */
export function retryAfterMs(
  headers: { get(name: string): string | null },
  now: number,
  fallbackMs: number,
): number {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return fallbackMs;
}
