import { z } from 'zod';
import { backoffDelay, retryAfterMs } from './backoff.js';
import { AlpacaBar, AlpacaTrade } from './wire.js';
import type { UsageMeter } from '../../../ops/usage/usage-meter.js';

/** Where and how to reach Alpaca's market data REST API. */
export interface RestClientOptions {
  baseUrl: string;
  keyId: string;
  secretKey: string;
  feed: string;
  timeoutMs?: number;
  /** Attempts per request when the answer is 429, 5xx or a network error. */
  maxAttempts?: number;
  /** Longest wait honoured from Retry-After before giving up. */
  maxRetryWaitMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Counts every attempt against Alpaca's calls-per-minute limit. */
  usage?: UsageMeter;
}

/** A failed upstream call, after retries. */
export class AlpacaRequestError extends Error {
  override name = 'AlpacaRequestError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

const BarsPage = z.object({
  bars: z.record(z.string(), z.array(AlpacaBar)).nullable(),
  next_page_token: z.string().nullish(),
});
const TradesPage = z.object({
  trades: z.record(z.string(), z.array(AlpacaTrade)).nullable(),
  next_page_token: z.string().nullish(),
});

/** What the rate-limit headers said last. */
export interface RateLimitState {
  limit: number | undefined;
  remaining: number | undefined;
  resetAt: number | undefined;
  requests: number;
  throttled: number;
}

/**
 * Alpaca's market data REST API: timeouts on every call, retries with backoff on 5xx and network
 * errors, and 429s answered by waiting what Retry-After / X-RateLimit-Reset say (bounded).
 */
export class AlpacaRestClient {
  readonly rateLimit: RateLimitState = {
    limit: undefined,
    remaining: undefined,
    resetAt: undefined,
    requests: 0,
    throttled: 0,
  };
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RestClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Every page of bars for the symbols over [start, end], in Alpaca's order. */
  async bars(
    symbols: readonly string[],
    timeframe: string,
    start: string,
    end: string,
  ): Promise<Record<string, z.infer<typeof AlpacaBar>[]>> {
    const out: Record<string, z.infer<typeof AlpacaBar>[]> = {};
    await this.pages(
      '/v2/stocks/bars',
      { symbols: symbols.join(','), timeframe, start, end, limit: '10000' },
      BarsPage,
      (page) => {
        for (const [symbol, list] of Object.entries(page.bars ?? {})) (out[symbol] ??= []).push(...list);
      },
    );
    return out;
  }

  /** Every trade of the symbols over [start, end], in Alpaca's order. */
  async trades(
    symbols: readonly string[],
    start: string,
    end: string,
  ): Promise<Record<string, z.infer<typeof AlpacaTrade>[]>> {
    const out: Record<string, z.infer<typeof AlpacaTrade>[]> = {};
    await this.pages(
      '/v2/stocks/trades',
      { symbols: symbols.join(','), start, end, limit: '10000' },
      TradesPage,
      (page) => {
        for (const [symbol, list] of Object.entries(page.trades ?? {})) (out[symbol] ??= []).push(...list);
      },
    );
    return out;
  }

  private async pages<T extends { next_page_token?: string | null | undefined }>(
    path: string,
    query: Record<string, string>,
    schema: z.ZodType<T>,
    onPage: (page: T) => void,
  ): Promise<void> {
    const seen = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < 10_000; page += 1) {
      const body = await this.get(path, {
        ...query,
        feed: this.options.feed,
        ...(token !== undefined && { page_token: token }),
      });
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        throw new AlpacaRequestError(
          `unexpected response from ${path}: ${parsed.error.issues[0]?.message ?? ''}`,
          200,
        );
      onPage(parsed.data);
      const next = parsed.data.next_page_token ?? undefined;
      if (next === undefined || seen.has(next)) return;
      seen.add(next);
      token = next;
    }
    throw new AlpacaRequestError(`${path}: too many pages`, undefined);
  }

  /** One GET with timeout, retries and rate-limit handling. */
  async get(path: string, query: Record<string, string>): Promise<unknown> {
    const url = new URL(path, this.options.baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const attempts = this.options.maxAttempts ?? 5;
    let lastError = 'no attempt made';
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      let response: Response;
      try {
        this.rateLimit.requests += 1;
        this.options.usage?.restCall('alpaca_data');
        response = await this.fetchFn(url, {
          headers: {
            'APCA-API-KEY-ID': this.options.keyId,
            'APCA-API-SECRET-KEY': this.options.secretKey,
            accept: 'application/json',
          },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        await this.sleep(backoffDelay(attempt, { baseMs: 250, maxMs: 8_000 }));
        continue;
      }
      this.readRateLimit(response.headers);
      if (response.ok) return response.json();
      const text = (await response.text().catch(() => '')).slice(0, 300);
      lastError = `HTTP ${response.status} ${text}`;
      if (response.status === 429) {
        this.rateLimit.throttled += 1;
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
        await this.sleep(backoffDelay(attempt, { baseMs: 250, maxMs: 8_000 }));
        continue;
      }
      throw new AlpacaRequestError(`${path}: ${lastError}`, response.status);
    }
    throw new AlpacaRequestError(`${path}: ${lastError}`, undefined);
  }

  private readRateLimit(headers: Headers): void {
    const num = (name: string) => {
      const value = headers.get(name);
      return value === null || !Number.isFinite(Number(value)) ? undefined : Number(value);
    };
    this.rateLimit.limit = num('x-ratelimit-limit') ?? this.rateLimit.limit;
    this.rateLimit.remaining = num('x-ratelimit-remaining') ?? this.rateLimit.remaining;
    const reset = num('x-ratelimit-reset');
    if (reset !== undefined) this.rateLimit.resetAt = reset * 1000;
  }
}
