import { z } from 'zod';
import { type AlpacaHttpOptions, callAlpaca } from './http.js';
import { AlpacaBar, AlpacaTrade } from './wire.js';

/** Where and how to reach Alpaca's market data REST API, and which feed to ask for. */
export interface RestClientOptions extends AlpacaHttpOptions {
  feed: string;
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
  constructor(private readonly options: RestClientOptions) {}

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
    const answer = await callAlpaca(
      this.options,
      { url, method: 'GET', idempotent: true, api: 'alpaca_data', attempts: 5 },
      {
        onAttempt: () => (this.rateLimit.requests += 1),
        onResponse: (response) => this.readRateLimit(response.headers),
        onThrottled: () => (this.rateLimit.throttled += 1),
      },
    );
    if (!answer.answered) throw new AlpacaRequestError(`${path}: ${answer.reason}`, undefined);
    if (!answer.ok)
      throw new AlpacaRequestError(
        `${path}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`,
        answer.status,
      );
    return JSON.parse(answer.text) as unknown;
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
