import http from 'node:http';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisRateLimitStore } from '../../adapters/redis/redis-rate-limit-store.js';
import { addEdgeScreen } from '../screens.js';
import { classify, MemoryRateLimitStore, rateLimitPlugin, takeTokens } from './index.js';
import { type BucketState, decisionAfter, tryTakeInPlace } from './token-bucket.js';

describe('takeTokens', () => {
  it('allows the burst, refuses the next, and refills at the rate', () => {
    const rule = { capacity: 3, refillPerSecond: 1 };
    let state = undefined;
    const results: boolean[] = [];
    for (let i = 0; i < 4; i += 1) {
      const d = takeTokens(state, rule, 1_000);
      results.push(d.allowed);
      state = d.state;
    }
    expect(results).toEqual([true, true, true, false]);
    const refused = takeTokens(state, rule, 1_000);
    expect(refused.retryAfterMs).toBe(1_000);
    expect(refused.resetMs).toBe(3_000);
    expect(takeTokens(state, rule, 2_000).allowed).toBe(true);
  });

  it('leaves the state it was given as it was (the Redis store keeps it)', () => {
    const rule = { capacity: 3, refillPerSecond: 1 };
    const state = { tokens: 2, at: 1_000 };
    const next = takeTokens(state, rule, 1_500);
    expect(state).toEqual({ tokens: 2, at: 1_000 });
    expect(next.state).toEqual({ tokens: 1.5, at: 1_500 });
  });
});

describe('tryTakeInPlace and decisionAfter', () => {
  const rule = { capacity: 3, refillPerSecond: 1 };

  it('refills the bucket where it lies up to its capacity, then takes the cost if it is there', () => {
    const state: BucketState = { tokens: 0, at: 0 };
    expect(tryTakeInPlace(state, rule, 10_000)).toBe(true);
    expect(state).toEqual({ tokens: 2, at: 10_000 }); // refilled to 3, not 10, then one taken
    expect(tryTakeInPlace(state, rule, 10_000, 2)).toBe(true);
    expect(state).toEqual({ tokens: 0, at: 10_000 });
  });

  it('takes nothing when the cost is not there, but keeps the refill, and never refills backwards in time', () => {
    const state: BucketState = { tokens: 0.5, at: 1_000 };
    expect(tryTakeInPlace(state, rule, 1_250)).toBe(false);
    expect(state).toEqual({ tokens: 0.75, at: 1_250 });
    expect(tryTakeInPlace(state, rule, 900)).toBe(false); // a clock that stepped back adds nothing
    expect(state).toEqual({ tokens: 0.75, at: 900 });
  });

  it('tells what takeTokens would have: remaining, reset and retry for the take just made', () => {
    const state: BucketState = { tokens: 0.5, at: 1_000 };
    const before = { ...state };
    const allowed = tryTakeInPlace(state, rule, 1_250);
    expect(decisionAfter(state, rule, allowed)).toEqual(takeTokens(before, rule, 1_250));
    expect(decisionAfter(state, rule, allowed)).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 2_250, // 2.25 tokens at one a second
      retryAfterMs: 250, // the quarter token still missing
      state: { tokens: 0.75, at: 1_250 },
    });
  });

  it('agrees with takeTokens over a run of takes of mixed cost and spacing', () => {
    const inPlace: BucketState = { tokens: rule.capacity, at: 0 };
    let pure: BucketState | undefined;
    let now = 0;
    for (let i = 0; i < 200; i += 1) {
      now += (i * 7919) % 900; // 0–899 ms apart, deterministic
      const cost = 1 + (i % 3);
      const expected = takeTokens(pure, rule, now, cost);
      pure = expected.state;
      const allowed = tryTakeInPlace(inPlace, rule, now, cost);
      expect(decisionAfter(inPlace, rule, allowed, cost)).toEqual(expected);
    }
  });
});

describe('MemoryRateLimitStore', () => {
  it("hands out each key's bucket to take from in place, a full one for a new key", () => {
    const store = new MemoryRateLimitStore();
    const rule = { capacity: 3, refillPerSecond: 0.001 };
    const bucket = store.bucket('a', rule, 5);
    expect(bucket).toEqual({ tokens: 3, at: 5 });
    expect(tryTakeInPlace(bucket, rule, 5)).toBe(true);
    expect(store.bucket('a', rule, 6)).toBe(bucket); // the same bucket: the take is kept
    expect(store.takeSync('a', rule, 6).remaining).toBe(1);
    expect(store.bucket('b', rule, 6)).toEqual({ tokens: 3, at: 6 });
  });

  it('carries a bucket of the old generation over when its key is used again', () => {
    const store = new MemoryRateLimitStore(2); // generations of 1 key
    const rule = { capacity: 3, refillPerSecond: 0.001 };
    tryTakeInPlace(store.bucket('a', rule, 0), rule, 0);
    store.bucket('b', rule, 0); // a becomes the old generation
    expect(store.bucket('a', rule, 0).tokens).toBe(2);
  });

  it('keeps buckets used in the last two generations and forgets idle ones', () => {
    const store = new MemoryRateLimitStore(4); // generations of 2 keys
    const rule = { capacity: 3, refillPerSecond: 0.001 };
    store.takeSync('a', rule, 0);
    store.takeSync('b', rule, 0);
    store.takeSync('c', rule, 0); // a and b become the old generation
    expect(store.takeSync('a', rule, 0).remaining).toBe(1); // a is still known: its spent token counts
    store.takeSync('d', rule, 0); // c and a become the old generation; b, idle, is forgotten
    expect(store.takeSync('b', rule, 0).remaining).toBe(2);
    expect(store.takeSync('a', rule, 0).remaining).toBe(0);
    expect(store.size).toBeLessThanOrEqual(4);
  });
});

describe('classify', () => {
  it.each([
    ['POST', '/api/v1/auth/login', 'auth'],
    ['POST', '/api/v1/setup/owner', 'auth'],
    ['POST', '/api/v1/orders', 'trading'],
    ['DELETE', '/api/v1/orders/abc', 'trading'],
    ['GET', '/api/v1/orders', 'api'],
    ['GET', '/api/v1/bars?symbols=AAPL', 'market'],
    ['GET', '/assets/index-abc.js', 'web'],
    ['GET', '/healthz', undefined],
  ])('%s %s → %s', (method, url, expected) => {
    expect(classify(method, url)).toBe(expected);
  });
});

function appWith(store: MemoryRateLimitStore | RedisRateLimitStore, now: () => number) {
  const app = Fastify({ logger: false });
  void app.register(rateLimitPlugin, { store, now, rules: { auth: { capacity: 2, refillPerSecond: 0.5 } } });
  app.post('/api/v1/auth/login', async () => ({ ok: true }));
  app.get('/api/v1/bars', async () => ({ ok: true }));
  return app;
}

describe('rateLimitPlugin', () => {
  it('answers 429 EDGE_RATE_LIMITED with Retry-After and the RateLimit fields past the burst', async () => {
    let now = 0;
    const app = appWith(new MemoryRateLimitStore(), () => now);
    const login = () => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} });
    const first = await login();
    expect(first.statusCode).toBe(200);
    // One left; a token comes back every 2 s, so the bucket is full again in 2 s.
    expect(first.headers.ratelimit).toBe('"auth";r=1;t=2');
    expect(first.headers['ratelimit-policy']).toBeUndefined();
    const second = await login();
    expect(second.statusCode).toBe(200);
    expect(second.headers.ratelimit).toBe('"auth";r=0;t=4');
    const limited = await login();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.headers.ratelimit).toBe('"auth";r=0;t=4');
    expect(limited.headers['ratelimit-policy']).toBe('"auth";q=2;w=4');
    expect(limited.json()).toMatchObject({ code: 'EDGE_RATE_LIMITED' });
    // Other classes have their own budget.
    expect((await app.inject({ method: 'GET', url: '/api/v1/bars' })).statusCode).toBe(200);
    now = 2_000;
    expect((await login()).statusCode).toBe(200);
    expect(app.rateLimit.counters).toMatchObject({ limited: 1, byClass: { auth: 1 } });
  });

  it('sends the RateLimit field once half of the burst is spent, and on every refusal', async () => {
    const app = Fastify({ logger: false });
    await app.register(rateLimitPlugin, {
      store: new MemoryRateLimitStore(),
      now: () => 0,
      rules: { market: { capacity: 4, refillPerSecond: 1 } },
    });
    app.get('/api/v1/bars', async () => ({ ok: true }));
    const fields: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await app.inject({ method: 'GET', url: '/api/v1/bars' });
      fields.push(`${response.statusCode} ${String(response.headers.ratelimit)}`);
    }
    expect(fields).toEqual([
      '200 undefined', // 3 of 4 left
      '200 "market";r=2;t=2',
      '200 "market";r=1;t=3',
      '200 "market";r=0;t=4',
      '429 "market";r=0;t=4',
    ]);
    await app.close();
  });

  it('gives each session its own budget', async () => {
    const app = appWith(new MemoryRateLimitStore(), () => 0);
    const as = (cookie: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { cookie }, payload: {} });
    await as('pulse_session=a');
    await as('pulse_session=a');
    expect((await as('pulse_session=a')).statusCode).toBe(429);
    expect((await as('pulse_session=b')).statusCode).toBe(200);
  });

  it('tells callers apart on one keep-alive connection', async () => {
    const app = appWith(new MemoryRateLimitStore(), () => 0);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const login = (token?: string) =>
      new Promise<string>((resolve, reject) => {
        const request = http.request(
          `${base}/api/v1/auth/login`,
          {
            method: 'POST',
            agent,
            headers: {
              ...(token !== undefined && { authorization: `Bearer ${token}` }),
              'content-type': 'application/json',
            },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve(`${response.statusCode} ${String(response.headers.ratelimit)}`));
          },
        );
        request.on('socket', (socket) => sockets.add(socket));
        request.on('error', reject);
        request.end('{}');
      });
    try {
      expect(await login('token-a')).toBe('200 "auth";r=1;t=2');
      expect(await login('token-a')).toBe('200 "auth";r=0;t=4');
      expect(await login('token-b')).toBe('200 "auth";r=1;t=2');
      expect(await login('token-a')).toBe('429 "auth";r=0;t=4');
      // Anonymous on the same connection: the IP's own budget, not the last caller's.
      expect(await login()).toBe('200 "auth";r=1;t=2');
      expect(await login('token-b')).toBe('200 "auth";r=0;t=4');
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
      await app.close();
    }
  });

  describe('on Redis', () => {
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 1 });
    const prefix = `pulse:test:${process.pid}:${Date.now()}:`;
    afterAll(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('shares one budget across two nodes', async () => {
      const nodeA = appWith(new RedisRateLimitStore(redis, { prefix }), Date.now);
      const nodeB = appWith(new RedisRateLimitStore(redis, { prefix }), Date.now);
      const login = (app: typeof nodeA) =>
        app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} });
      expect((await login(nodeA)).statusCode).toBe(200);
      expect((await login(nodeB)).statusCode).toBe(200);
      const third = await login(nodeA);
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(await redis.exists(`${prefix}auth:ip:127.0.0.1`)).toBe(1);
    });

    it('waits for Redis in its place among the edge checks: a later check sees only what the budget let through', async () => {
      const app = Fastify({ logger: false });
      const seenBefore: string[] = [];
      addEdgeScreen(app, (request) => {
        seenBefore.push(request.url);
        return false;
      });
      await app.register(rateLimitPlugin, {
        store: new RedisRateLimitStore(redis, { prefix: `${prefix}order:` }),
        rules: { auth: { capacity: 2, refillPerSecond: 0.5 } },
      });
      // A later check that answers everything it sees (as bot defence asks a sign-in for a proof of work).
      addEdgeScreen(app, (_request, reply) => {
        void reply.code(428).send({ code: 'EDGE_CHALLENGE_REQUIRED' });
        return true;
      });
      app.post('/api/v1/auth/login', async () => ({ ok: true }));
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} })).statusCode,
        );
      expect(statuses).toEqual([428, 428, 429]);
      expect(seenBefore).toHaveLength(3);
      await app.close();
    });

    it('falls back to a local budget when Redis does not answer in time', async () => {
      const dead = new Redis('redis://127.0.0.1:1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
      });
      dead.on('error', () => undefined);
      const store = new RedisRateLimitStore(dead, { prefix, timeoutMs: 50 });
      const app = appWith(store, Date.now);
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} });
      expect(res.statusCode).toBe(200);
      expect(store.stats.fallbacks).toBeGreaterThanOrEqual(1);
      dead.disconnect();
    });
  });
});
