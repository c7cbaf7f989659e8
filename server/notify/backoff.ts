/** Exponential backoff settings: attempt n waits up to base·2^(n-1), capped at max. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** The wait before the next attempt after `attempt` failures: full jitter over the exponential step. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half jitter: never a zero wait, and retries of a burst spread out.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
