import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
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

  it('returns the MFA challenge from login without a session, then completes it with verifyMfa', async () => {
    const { fetch, calls } = fakeFetch([
      json({ mfaRequired: true, challengeId: 'challenge-0123456789' }),
      json(me),
      new Response(null, { status: 204 }),
    ]);
    const api = createApiClient({ fetch });
    const first = await api.login({ email: me.email, password: 'correct horse battery' });
    expect(first).toEqual({ mfaRequired: true, challengeId: 'challenge-0123456789' });
    expect(await api.verifyMfa({ challengeId: 'challenge-0123456789', code: '123456' })).toEqual(me);
    await api.logout();
    expect(calls.map((c) => `${c.init?.method ?? 'GET'} ${new URL(c.url, 'http://x').pathname}`)).toEqual([
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/mfa/verify',
      'POST /api/v1/auth/logout',
    ]);
    expect(JSON.parse(String(calls[1]?.init?.body))).toEqual({
      challengeId: 'challenge-0123456789',
      code: '123456',
    });
    expect((calls[2]?.init?.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-123');
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

  it('solves a proof-of-work challenge and retries once when sign-in answers 428', async () => {
    const challenge = {
      id: 'k.4.c2FsdHNhbHRzYWx0c2FsdA.m',
      salt: 'c2FsdHNhbHRzYWx0c2FsdA',
      difficulty: 4,
      expiresAt: '2030-01-01T00:00:00.000Z',
    };
    const { fetch, calls } = fakeFetch([
      json({ code: 'EDGE_CHALLENGE_REQUIRED', message: 'Prove it.' }, 428),
      json(challenge),
      json(me),
    ]);
    await expect(
      createApiClient({ fetch }).login({ email: me.email, password: 'correct horse battery' }),
    ).resolves.toMatchObject({ id: 'u1' });
    expect(calls.map((c) => `${c.init?.method ?? ''} ${c.url}`)).toEqual([
      'POST /api/v1/auth/login',
      'GET /api/v1/challenge',
      'POST /api/v1/auth/login',
    ]);
    const proof = (calls[2]?.init?.headers as Record<string, string>)['x-pow'] ?? '';
    expect(proof.startsWith(`${challenge.id}:`)).toBe(true);
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(challenge.salt + proof.split(':')[1]),
    );
    expect(new Uint8Array(digest)[0]! >> 4).toBe(0);
  });

  it('does not loop when the retried request is refused again', async () => {
    const challenge = { id: 'k', salt: 's', difficulty: 1, expiresAt: '2030-01-01T00:00:00.000Z' };
    const refused = () => json({ code: 'EDGE_CHALLENGE_REQUIRED', message: 'Prove it.' }, 428);
    const { fetch, calls } = fakeFetch([refused(), json(challenge), refused()]);
    await expect(createApiClient({ fetch }).login({ email: me.email, password: 'x' })).rejects.toMatchObject({
      status: 428,
      code: 'EDGE_CHALLENGE_REQUIRED',
    });
    expect(calls).toHaveLength(3);
  });

  describe('when the server is not ready (503 SERVICE_NOT_READY)', () => {
    const notReady = () =>
      json({ code: 'SERVICE_NOT_READY', message: 'Paper trading is moving to another node.' }, 503);
    const order = { id: 'o1' };
    const anyJson = z.unknown();

    it('sends an order with its client_order_id again, the same body, and returns the order', async () => {
      vi.useFakeTimers();
      try {
        const { fetch, calls } = fakeFetch([notReady(), json(order)]);
        const body = { symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', client_order_id: 'c-1' };
        const placed = createApiClient({ fetch }).call('POST', '/api/v1/orders', anyJson, body);
        await vi.advanceTimersByTimeAsync(500);
        await expect(placed).resolves.toEqual(order);
        expect(calls.map((c) => c.init?.body)).toEqual([JSON.stringify(body), JSON.stringify(body)]);
      } finally {
        vi.useRealTimers();
      }
    });

    it('gives a read two more tries, then reports the 503', async () => {
      vi.useFakeTimers();
      try {
        const { fetch, calls } = fakeFetch([notReady(), notReady(), notReady()]);
        const read = createApiClient({ fetch }).call('GET', '/api/v1/account', anyJson);
        const outcome = read.then(
          () => 'resolved',
          (error: unknown) => error,
        );
        await vi.advanceTimersByTimeAsync(2_000);
        expect(await outcome).toMatchObject({ status: 503, code: 'SERVICE_NOT_READY' });
        expect(calls).toHaveLength(3);
      } finally {
        vi.useRealTimers();
      }
    });

    it('does not repeat a change that could be applied twice', async () => {
      const { fetch, calls } = fakeFetch([notReady()]);
      await expect(
        createApiClient({ fetch }).call('POST', '/api/v1/watchlists', anyJson, { name: 'Tech', symbols: [] }),
      ).rejects.toMatchObject({ status: 503, code: 'SERVICE_NOT_READY' });
      expect(calls).toHaveLength(1);
    });
  });
});
