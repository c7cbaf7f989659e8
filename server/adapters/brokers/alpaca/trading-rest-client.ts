import type { z } from 'zod';
import { type AlpacaHttpOptions, callAlpaca } from '../../feeds/alpaca/http.js';
import { WireError } from './wire.js';

/** Where and how to reach Alpaca's Trading API v2 (e.g. https://paper-api.alpaca.markets). */
export type TradingRestOptions = AlpacaHttpOptions;

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
  constructor(private readonly options: TradingRestOptions) {}

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
    const answer = await callAlpaca(
      this.options,
      {
        url,
        method: call.method,
        body: call.body,
        idempotent: call.idempotent ?? (call.method === 'GET' || call.method === 'DELETE'),
        api: 'alpaca_trading',
      },
      { onThrottled: () => (this.throttled += 1) },
    );
    if (!answer.answered) throw new AlpacaUnavailableError(`${call.method} ${call.path}: ${answer.reason}`);
    if (!answer.ok) throw apiError(answer.status, answer.text);
    return { status: answer.status, body: answer.text === '' ? undefined : JSON.parse(answer.text) };
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
