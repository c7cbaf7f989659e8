import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './api-client.js';
import { ApiError } from './api-error.js';

const me = { id: 'u1', email: 'owner@example.com', role: 'owner', csrfToken: 'csrf-123' };

function fakeFetch(responses: Response[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    const next = responses.shift();
    if (next === undefined) throw new TypeError('Failed to fetch');
    return next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createApiClient', () => {
  it('sends the CSRF token from the last Me on changes, not on reads', async () => {
    const { fetch, calls } = fakeFetch([
      json(me),
      json({ needsOwner: false }),
      new Response(null, { status: 204 }),
    ]);
    const api = createApiClient({ fetch });
    await api.login({ email: me.email, password: 'correct horse battery' });
    await api.getSetup();
    await api.logout();
    const header = (i: number): string | undefined =>
      (calls[i]?.init?.headers as Record<string, string> | undefined)?.['x-csrf-token'];
    expect(header(0)).toBeUndefined();
    expect(header(1)).toBeUndefined();
    expect(header(2)).toBe('csrf-123');
  });

  it("raises the server's code and message as an ApiError", async () => {
    const { fetch } = fakeFetch([
      json({ code: 'AUTH_INVALID_CREDENTIALS', message: 'Wrong e-mail or password.' }, 401),
    ]);
    const error = await createApiClient({ fetch })
      .login({ email: me.email, password: 'nope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 401,
      code: 'AUTH_INVALID_CREDENTIALS',
      message: 'Wrong e-mail or password.',
    });
  });

  it('rejects a response that does not match the contract', async () => {
    const { fetch } = fakeFetch([json({ needsOwner: 'yes' })]);
    await expect(createApiClient({ fetch }).getSetup()).rejects.toMatchObject({
      code: 'CLIENT_BAD_RESPONSE',
    });
  });

  it('reports an unreachable server as a network error', async () => {
    const { fetch } = fakeFetch([]);
    await expect(createApiClient({ fetch }).getSetup()).rejects.toMatchObject({
      code: 'CLIENT_NETWORK_ERROR',
      status: 0,
    });
  });

  it('builds the bars query the server expects', async () => {
    const { fetch, calls } = fakeFetch([json({ bars: { AAPL: [] }, next_page_token: null, source: 'sim' })]);
    const bars = await createApiClient({ fetch }).getBars({
      symbols: ['AAPL'],
      timeframe: '1Min',
      limit: 500,
    });
    expect(calls[0]?.url).toBe('/api/v1/bars?symbols=AAPL&timeframe=1Min&limit=500');
    expect(bars.source).toBe('sim');
  });
});
