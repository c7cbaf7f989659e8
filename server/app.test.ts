import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/test-app.js';

describe('buildApp', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /healthz with the uptime', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', uptimeSeconds: expect.any(Number) });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports each component on /readyz', async () => {
    const ready = await t.app.http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ready: true, components: { database: { ok: true } } });
  });

  it('answers /readyz with 503 when a probe fails or hangs', async () => {
    const sick = await createTestApp({
      probes: [
        { name: 'database', check: async () => ({ ok: true }) },
        { name: 'market_feed', check: async () => ({ ok: false, detail: 'disconnected' }) },
        { name: 'broker', check: () => new Promise(() => undefined) },
      ],
    });
    try {
      const res = await sick.app.http.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        ready: false,
        components: {
          database: { ok: true },
          market_feed: { ok: false, detail: 'disconnected' },
          broker: { ok: false, detail: 'no answer within 2000 ms' },
        },
      });
    } finally {
      await sick.close();
    }
  });

  it('answers unknown routes with ROUTE_NOT_FOUND and a request id', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/v1/nope?x=1' });
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body).toMatchObject({ code: 'ROUTE_NOT_FOUND', message: 'No route for GET /api/v1/nope' });
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers malformed JSON with 400 REQUEST_MALFORMED_BODY and no stack trace', async () => {
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('REQUEST_MALFORMED_BODY');
    expect(res.body).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<x/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('REQUEST_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversized body with 413', async () => {
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(300 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('REQUEST_BODY_TOO_LARGE');
  });

  it('refuses unknown body fields (strict schemas)', async () => {
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.co', password: 'x', role: 'owner' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('REQUEST_VALIDATION_FAILED');
  });

  it('sends strict security headers', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves an OpenAPI document generated from the zod schemas', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/bars',
        '/api/v1/auth/login',
        '/api/v1/setup/owner',
        '/healthz',
        '/readyz',
      ]),
    );
    const login = doc.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema;
    expect(login.required).toEqual(['email', 'password']);
  });

  it('turns every request away with 503 while draining, but still answers health checks', async () => {
    const drained = await createTestApp();
    try {
      drained.app.drain();
      const api = await drained.app.http.inject({ method: 'GET', url: '/api/v1/assets' });
      expect(api.statusCode).toBe(503);
      expect(api.json().code).toBe('SERVICE_SHUTTING_DOWN');
      const ready = await drained.app.http.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().components.shutdown).toEqual({ ok: false, detail: 'draining' });
    } finally {
      await drained.close();
    }
  });

  it('blocks an attack with 403 EDGE_REQUEST_BLOCKED before it reaches a route', async () => {
    const res = await t.app.http.inject({
      method: 'GET',
      url: "/api/v1/assets?search=' UNION SELECT password FROM users--",
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'EDGE_REQUEST_BLOCKED',
      requestId: res.headers['x-request-id'],
    });
    const legit = await t.app.http.inject({ method: 'GET', url: '/api/v1/assets?search=Procter %26 Gamble' });
    expect(legit.statusCode).toBe(200);
  });
});
