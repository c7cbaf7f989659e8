import { describe, expect, it } from 'vitest';
import { AlpacaRequestError, AlpacaRestClient } from './rest-client.js';

function scripted(responses: Array<() => Response>) {
  const calls: string[] = [];
  const fetchFn = (async (url: URL | string) => {
    calls.push(String(url));
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next();
  }) as typeof fetch;
  return { calls, fetchFn };
}

const json =
  (body: unknown, init: ResponseInit = {}) =>
  () =>
    new Response(JSON.stringify(body), { status: 200, ...init });

describe('AlpacaRestClient', () => {
  it('waits what Retry-After says on 429, then follows page tokens, and records the rate-limit headers', async () => {
    const sleeps: number[] = [];
    const { calls, fetchFn } = scripted([
      json(
        { code: 42910000, message: 'too many requests' },
        { status: 429, headers: { 'retry-after': '2' } },
      ),
      json(
        {
          bars: { AAPL: [{ t: '2024-03-12T14:30:00Z', o: 1, h: 2, l: 0.5, c: 1.5, v: 10, n: 2, vw: 1.2 }] },
          next_page_token: 'p2',
        },
        { headers: { 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': '198' } },
      ),
      json({
        bars: { AAPL: [{ t: '2024-03-12T14:31:00Z', o: 1.5, h: 2, l: 1, c: 2, v: 5, n: 1, vw: 1.8 }] },
        next_page_token: null,
      }),
    ]);
    const client = new AlpacaRestClient({
      baseUrl: 'http://alpaca.test',
      keyId: 'k',
      secretKey: 's',
      feed: 'iex',
      fetch: fetchFn,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const bars = await client.bars(['AAPL'], '1Min', '2024-03-12T14:30:00Z', '2024-03-12T14:32:00Z');
    expect(bars.AAPL?.map((b) => b.t)).toEqual(['2024-03-12T14:30:00Z', '2024-03-12T14:31:00Z']);
    expect(sleeps).toEqual([2_000]);
    expect(calls).toHaveLength(3);
    expect(new URL(calls[2]!).searchParams.get('page_token')).toBe('p2');
    expect(new URL(calls[2]!).searchParams.get('feed')).toBe('iex');
    expect(client.rateLimit).toMatchObject({ limit: 200, remaining: 198, throttled: 1, requests: 3 });
  });

  it('gives up at once on a 4xx other than 429, naming the status', async () => {
    const { fetchFn } = scripted([json({ message: 'forbidden' }, { status: 403 })]);
    const client = new AlpacaRestClient({
      baseUrl: 'http://alpaca.test',
      keyId: 'k',
      secretKey: 's',
      feed: 'sip',
      fetch: fetchFn,
    });
    await expect(client.get('/v2/stocks/bars', {})).rejects.toMatchObject({
      name: 'AlpacaRequestError',
      status: 403,
    });
  });

  it('refuses to wait longer than maxRetryWaitMs for a rate limit', async () => {
    const { fetchFn } = scripted([json({}, { status: 429, headers: { 'retry-after': '600' } })]);
    const client = new AlpacaRestClient({
      baseUrl: 'http://alpaca.test',
      keyId: 'k',
      secretKey: 's',
      feed: 'iex',
      fetch: fetchFn,
      maxRetryWaitMs: 60_000,
      sleep: async () => undefined,
    });
    await expect(client.get('/v2/stocks/bars', {})).rejects.toBeInstanceOf(AlpacaRequestError);
  });
});
