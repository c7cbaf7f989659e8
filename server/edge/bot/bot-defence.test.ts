import crypto from 'node:crypto';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  botDefencePlugin,
  type Challenge,
  DEFAULT_DIFFICULTY,
  hasLeadingZeroBits,
  proofOfWork,
  ReplayCache,
  requiredDifficulty,
  SuspicionTracker,
} from './index.js';

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

function solve(challenge: Challenge): string {
  for (let n = 0; ; n += 1) {
    const hash = crypto
      .createHash('sha256')
      .update(challenge.salt + n.toString(36))
      .digest();
    if (hasLeadingZeroBits(hash, challenge.difficulty)) return `${challenge.id}:${n.toString(36)}`;
  }
}

async function appWith(clock = { now: 1_700_000_000_000 }) {
  const app = Fastify({ logger: false });
  await app.register(botDefencePlugin, {
    secret: 'test-secret-test-secret-test-secret',
    difficulty: { base: 8, max: 16 },
    now: () => clock.now,
  });
  app.get('/', async () => 'home');
  app.get('/api/v1/bars', async () => ({ bars: {} }));
  app.post('/api/v1/auth/login', async (request, reply) => {
    const body = request.body as { password?: string };
    return body.password === 'right'
      ? { ok: true }
      : reply.code(401).send({ code: 'AUTH_INVALID_CREDENTIALS' });
  });
  app.get('/api/v1/limited', async (_request, reply) => reply.code(429).send({ code: 'EDGE_RATE_LIMITED' }));
  return { app, clock };
}

const login = (
  app: Awaited<ReturnType<typeof appWith>>['app'],
  headers: Record<string, string> = {},
  password = 'right',
) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'user-agent': BROWSER, ...headers },
    payload: { password },
  });

async function challenge(
  app: Awaited<ReturnType<typeof appWith>>['app'],
  headers: Record<string, string> = {},
) {
  const res = await app.inject({ url: '/api/v1/challenge', headers: { 'user-agent': BROWSER, ...headers } });
  expect(res.headers['cache-control']).toBe('no-store');
  return res.json<Challenge>();
}

describe('botDefencePlugin: known bots', () => {
  it('lets a crawler read the home page but not the API', async () => {
    const { app } = await appWith();
    expect((await app.inject({ url: '/', headers: { 'user-agent': GOOGLEBOT } })).statusCode).toBe(200);
    // Uptime monitors and probes are bots too: health checks stay open to them.
    expect(
      (await app.inject({ url: '/readyz', headers: { 'user-agent': 'curl/8.5.0' } })).statusCode,
    ).not.toBe(403);
    const api = await app.inject({ url: '/api/v1/bars', headers: { 'user-agent': GOOGLEBOT } });
    expect(api.statusCode).toBe(403);
    expect(api.json()).toMatchObject({ code: 'EDGE_BOT_FORBIDDEN' });
    const signIn = await login(app, { 'user-agent': 'python-requests/2.31' });
    expect(signIn.statusCode).toBe(403);
    // A script with an API token is a client, not a crawler.
    const scripted = await app.inject({
      url: '/api/v1/bars',
      headers: { 'user-agent': 'curl/8.5.0', authorization: 'Bearer pk_x' },
    });
    expect(scripted.statusCode).toBe(200);
    expect(app.botDefence.counters.botsRefused).toBe(2);
  });
});

describe('botDefencePlugin: proof of work', () => {
  it('asks a client that never ran our JavaScript for a proof, then lets the proof and the cookie through', async () => {
    const { app } = await appWith();
    const first = await login(app);
    expect(first.statusCode).toBe(428);
    expect(first.json()).toMatchObject({ code: 'EDGE_CHALLENGE_REQUIRED' });
    const c = await challenge(app);
    expect(c.difficulty).toBe(8);
    const proved = await login(app, { 'x-pow': solve(c) });
    expect(proved.statusCode).toBe(200);
    const cookie = String(proved.headers['set-cookie']).split(';')[0] ?? '';
    expect(cookie).toMatch(/^pulse_js=/);
    expect(String(proved.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await login(app, { cookie })).statusCode).toBe(200);
    expect((await login(app, { cookie: 'pulse_js=zzzz.forged' })).statusCode).toBe(428);
  });

  it('refuses a replayed, a wrong, a stolen and an expired proof', async () => {
    const { app, clock } = await appWith();
    const c = await challenge(app);
    const proof = solve(c);
    expect((await login(app, { 'x-pow': proof })).statusCode).toBe(200);
    const replay = await login(app, { 'x-pow': proof });
    expect(replay.statusCode).toBe(428);
    expect(replay.json().message).toMatch(/already used/);
    const fresh = await challenge(app);
    // Almost every nonce fails 8 bits; find one that does.
    let bad = 0;
    while (
      hasLeadingZeroBits(
        crypto
          .createHash('sha256')
          .update(fresh.salt + bad.toString(36))
          .digest(),
        8,
      )
    )
      bad += 1;
    expect((await login(app, { 'x-pow': `${fresh.id}:${bad.toString(36)}` })).json().message).toMatch(
      /does not solve/,
    );
    const stolen = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '10.9.9.9',
      headers: { 'user-agent': BROWSER, 'x-pow': solve(fresh) },
      payload: { password: 'right' },
    });
    expect(stolen.json().message).toMatch(/not issued to this client/);
    const late = solve(await challenge(app));
    clock.now += 121_000;
    expect((await login(app, { 'x-pow': late })).json().message).toMatch(/expired/);
    expect(app.botDefence.counters.proofsRefused).toEqual({ replayed: 1, wrong: 1, forged: 1, expired: 1 });
  });

  it('raises the difficulty with failed sign-ins and rate limiting, even for a proven browser', async () => {
    const { app } = await appWith();
    const proved = await login(app, { 'x-pow': solve(await challenge(app)) });
    const cookie = String(proved.headers['set-cookie']).split(';')[0] ?? '';
    for (let i = 0; i < 2; i += 1) expect((await login(app, { cookie }, 'wrong')).statusCode).toBe(401);
    expect((await login(app, { cookie }, 'wrong')).statusCode).toBe(401);
    // Three failures: the proven browser is challenged again, at the base difficulty.
    expect((await login(app, { cookie })).statusCode).toBe(428);
    expect((await challenge(app, { cookie })).difficulty).toBe(8);
    app.botDefence.tracker.recordFailedSignIn('127.0.0.1');
    const early = await challenge(app, { cookie });
    expect(early.difficulty).toBe(10);
    await app.inject({ url: '/api/v1/limited', headers: { 'user-agent': BROWSER } });
    expect((await challenge(app, { cookie })).difficulty).toBe(14);
    // A proof of a challenge issued before the rise is not enough any more.
    const tooEasy = await login(app, { cookie, 'x-pow': solve(early) });
    expect(tooEasy.statusCode).toBe(428);
    expect(tooEasy.json().message).toMatch(/More work/);
  });
});

describe('requiredDifficulty', () => {
  it('is free for a proven client without strikes and capped at max', () => {
    const none = { failedSignIns: 0, rateLimited: 0 };
    expect(requiredDifficulty(none, true, DEFAULT_DIFFICULTY)).toBe(0);
    expect(requiredDifficulty(none, false, DEFAULT_DIFFICULTY)).toBe(14);
    expect(requiredDifficulty({ failedSignIns: 2.9, rateLimited: 0 }, true, DEFAULT_DIFFICULTY)).toBe(0);
    expect(requiredDifficulty({ failedSignIns: 5, rateLimited: 0 }, true, DEFAULT_DIFFICULTY)).toBe(18);
    expect(requiredDifficulty({ failedSignIns: 50, rateLimited: 3 }, false, DEFAULT_DIFFICULTY)).toBe(22);
  });
});

describe('SuspicionTracker', () => {
  it('halves counts every half-life and forgets failures after a success', () => {
    let now = 0;
    const tracker = new SuspicionTracker({ halfLifeMs: 1_000, now: () => now });
    for (let i = 0; i < 4; i += 1) tracker.recordFailedSignIn('1.2.3.4');
    now = 1_000;
    expect(tracker.get('1.2.3.4').failedSignIns).toBeCloseTo(2);
    tracker.clearFailedSignIns('1.2.3.4');
    expect(tracker.get('1.2.3.4').failedSignIns).toBe(0);
    expect(tracker.get('5.6.7.8')).toEqual({ failedSignIns: 0, rateLimited: 0 });
  });
});

describe('proofOfWork', () => {
  it('refuses a proof easier than the difficulty asked now', () => {
    const pow = proofOfWork({ secret: 'k', now: () => 0 });
    const easy = pow.issue('1.1.1.1', 4);
    expect(pow.verify(solve(easy), '1.1.1.1', 8)).toEqual({ ok: false, reason: 'too-easy' });
    expect(pow.verify('garbage', '1.1.1.1', 1)).toEqual({ ok: false, reason: 'malformed' });
    expect(pow.verify(`${easy.id.replace(/\.4\./, '.1.')}:0`, '1.1.1.1', 1)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });
});

describe('ReplayCache', () => {
  it('stays bounded and fails closed for ids older than what it forgot', () => {
    const cache = new ReplayCache(2);
    expect(cache.claim('a', 100, 0)).toBe(true);
    expect(cache.claim('a', 100, 0)).toBe(false);
    expect(cache.claim('b', 110, 0)).toBe(true);
    expect(cache.claim('c', 120, 0)).toBe(true);
    expect(cache.size).toBe(2);
    // 'a' was forgotten, so anything expiring by 100 is refused rather than risk a replay.
    expect(cache.claim('a', 100, 0)).toBe(false);
    expect(cache.claim('d', 99, 0)).toBe(false);
    // Expired ids are pruned.
    expect(cache.claim('e', 300, 200)).toBe(true);
    expect(cache.size).toBe(1);
  });
});
