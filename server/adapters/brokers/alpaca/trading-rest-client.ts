import type { z } from 'zod';
import { backoffDelay, retryAfterMs } from '../../feeds/alpaca/backoff.js';
import { WireError } from './wire.js';
import type { UsageMeter } from '../../../ops/usage/usage-meter.js';

/** Where and how to reach Alpaca's Trading API v2. */
export interface TradingRestOptions {
  /** e.g. https://paper-api.alpaca.markets */
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

/** Alpaca answered with an error status: HTTP status plus its `{code, message}` body. */
export class AlpacaApiError extends Error {
  override name = 'AlpacaApiError';
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The call did not get an answer: timeouts, network errors or 5xx after retries, 429 beyond the wait budget. */
export class AlpacaUnavailableError extends Error {
  override name = 'AlpacaUnavailableError';
}

/** One call: method, path, query, JSON body, and whether repeating it after a lost answer is harmless. */
export interface TradingCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  idempotent?: boolean;
}

/**
 * Alpaca's Trading API over fetch: a timeout on every attempt, 429 answered by waiting Retry-After (or
 * X-RateLimit-Reset) and retrying, 5xx and network errors retried with jittered backoff when the call is
 * idempotent, and every answer validated by a zod schema.
 */
export class AlpacaTradingRestClient {
  /** Rate-limit waits so far (for metrics and tests). */
  throttled = 0;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TradingRestOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Calls and validates the JSON answer against `schema`. */
  async call<T>(call: TradingCall, schema: z.ZodType<T>): Promise<T> {
    const { body } = await this.send(call);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AlpacaUnavailableError(
        `unexpected answer from ${call.method} ${call.path}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
      );
    }
    return parsed.data;
  }

  /** Calls and returns the HTTP status and parsed JSON body (undefined when empty). */
  async send(call: TradingCall): Promise<{ status: number; body: unknown }> {
    const url = new URL(call.path, this.options.baseUrl);
    for (const [key, value] of Object.entries(call.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    const attempts = this.options.maxAttempts ?? 4;
    const idempotent = call.idempotent ?? (call.method === 'GET' || call.method === 'DELETE');
    let last = 'no attempt made';
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      let response: Response;
      try {
        this.options.usage?.restCall('alpaca_trading');
        response = await this.fetchFn(url, {
          method: call.method,
          headers: {
            'APCA-API-KEY-ID': this.options.keyId,
            'APCA-API-SECRET-KEY': this.options.secretKey,
            accept: 'application/json',
            ...(call.body !== undefined && { 'content-type': 'application/json' }),
          },
          ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
        if (!idempotent) break;
        await this.sleep(backoffDelay(attempt, { baseMs: 250, maxMs: 8_000 }));
        continue;
      }
      const text = await response.text();
      if (response.ok) return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
      last = `HTTP ${response.status} ${text.slice(0, 300)}`;
      if (response.status === 429) {
        this.throttled += 1;
        const wait = retryAfterMs(
          response.headers,
          Date.now(),
          backoffDelay(attempt, { baseMs: 1_000, maxMs: 30_000 }),
        );
        if (wait > (this.options.maxRetryWaitMs ?? 60_000)) break;
        await this.sleep(wait);
        continue;
      }
      if (response.status >= 500) {
        if (!idempotent) break;
        await this.sleep(backoffDelay(attempt, { baseMs: 250, maxMs: 8_000 }));
        continue;
      }
      throw apiError(response.status, text);
    }
    throw new AlpacaUnavailableError(`${call.method} ${call.path}: ${last}`);
  }
}

function apiError(status: number, text: string): AlpacaApiError {
  let body: z.infer<typeof WireError> = {};
  try {
    const parsed = WireError.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Not JSON (a proxy's HTML page): keep the text as the message.
  }
  return new AlpacaApiError(status, body.code, body.message ?? (text.slice(0, 200) || `HTTP ${status}`));
}
