import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from './backoff.js';

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] ?? null });

describe('backoffDelay', () => {
  it('grows exponentially to the cap, with the jitter in the upper half', () => {
    const options = { baseMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, options, () => 0))).toEqual([
      250, 500, 1_000, 2_000, 15_000,
    ]);
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, options, () => 0.999999))).toEqual([
      500, 1_000, 2_000, 4_000, 30_000,
    ]);
  });
});

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds, as an HTTP date, then X-RateLimit-Reset, then falls back', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': '3' }), now, 1)).toBe(3_000);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now, 1)).toBe(5_000);
    expect(retryAfterMs(headers({ 'x-ratelimit-reset': String(now / 1000 + 7) }), now, 1)).toBe(7_000);
    expect(retryAfterMs(headers({}), now, 1_234)).toBe(1_234);
  });
});
