import { backoffDelay, retryAfterMs } from './backoff.js';
import type { UsageMeter } from '../../../ops/usage/usage-meter.js';

/** Where and how to reach one of Alpaca's REST APIs. */
export interface AlpacaHttpOptions {
  /** e.g. https://paper-api.alpaca.markets or https://data.alpaca.markets */
  baseUrl: string;
  keyId: string;
  secretKey: string;
  /** Per attempt (default 10 000 ms). */
  timeoutMs?: number;
  /** Attempts when the answer is 429 (any method), or 5xx / a network error (idempotent calls only). */
  maxAttempts?: number;
  /** Longest Retry-After honoured before giving up (default 60 000 ms). */
  maxRetryWaitMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Counts every attempt against Alpaca's calls-per-minute limit. */
  usage?: UsageMeter;
}

/** One request, and what retrying it needs to know. */
export interface AlpacaRequest {
  url: URL;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Repeating it after a lost answer (network error, 5xx) is harmless. */
  idempotent: boolean;
  /** Which limit the call counts against. */
  api: 'alpaca_trading' | 'alpaca_data';
  /** Attempts when the options do not say (default 4). */
  attempts?: number;
}

/** Observers of each attempt (rate-limit headers, 429 counts). */
export interface AlpacaHttpHooks {
  onAttempt?(): void;
  onResponse?(response: Response): void;
  onThrottled?(): void;
}

/** The final answer: a success or a client error (not 429), or none after the retries (`reason` says why). */
export type AlpacaAnswer =
  { answered: true; status: number; ok: boolean; text: string } | { answered: false; reason: string };

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls Alpaca with its retry rules: a timeout on every attempt; 429 answered by waiting Retry-After (or
 * X-RateLimit-Reset), bounded by `maxRetryWaitMs`; 5xx and network errors retried with jittered backoff when
 * the request is idempotent. Anything else is the answer.
 */
export async function callAlpaca(
  options: AlpacaHttpOptions,
  request: AlpacaRequest,
  hooks: AlpacaHttpHooks = {},
): Promise<AlpacaAnswer> {
  const fetchFn = options.fetch ?? fetch;
  const sleep = options.sleep ?? sleepFor;
  const attempts = options.maxAttempts ?? request.attempts ?? 4;
  const retryLater = (attempt: number) => sleep(backoffDelay(attempt, { baseMs: 250, maxMs: 8_000 }));
  let reason = 'no attempt made';
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    let response: Response;
    try {
      hooks.onAttempt?.();
      options.usage?.restCall(request.api);
      response = await fetchFn(request.url, {
        method: request.method,
        headers: {
          'APCA-API-KEY-ID': options.keyId,
          'APCA-API-SECRET-KEY': options.secretKey,
          accept: 'application/json',
          ...(request.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
      if (!request.idempotent) break;
      await retryLater(attempt);
      continue;
    }
    hooks.onResponse?.(response);
    const text = await response.text().catch(() => '');
    if (response.ok) return { answered: true, status: response.status, ok: true, text };
    reason = `HTTP ${response.status} ${text.slice(0, 300)}`;
    if (response.status === 429) {
      hooks.onThrottled?.();
      const fallback = backoffDelay(attempt, { baseMs: 1_000, maxMs: 30_000 });
      const wait = retryAfterMs(response.headers, Date.now(), fallback);
      if (wait > (options.maxRetryWaitMs ?? 60_000)) break;
      await sleep(wait);
      continue;
    }
    if (response.status >= 500) {
      if (!request.idempotent) break;
      await retryLater(attempt);
      continue;
    }
    return { answered: true, status: response.status, ok: false, text };
  }
  return { answered: false, reason };
}
