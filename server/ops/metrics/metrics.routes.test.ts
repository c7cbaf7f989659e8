import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('metricsRoutes', () => {
  let t: TestApp;
  const token = 'a-metrics-token-of-some-length';
  beforeAll(async () => {
    t = await createTestApp({ metricsToken: token });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts requests by route pattern and status and exposes component gauges', async () => {
    await t.app.http.inject({ method: 'GET', url: '/healthz' });
    await t.app.http.inject({ method: 'GET', url: '/api/v1/assets/AAPL' });
    await t.app.http.inject({ method: 'GET', url: '/api/v1/assets/ZZZZ' });
    const res = await t.app.http.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('pulse_http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(text).toContain(
      'pulse_http_requests_total{method="GET",route="/api/v1/assets/:symbol",status="200"} 1',
    );
    expect(text).toContain(
      'pulse_http_requests_total{method="GET",route="/api/v1/assets/:symbol",status="404"} 1',
    );
    expect(text).toMatch(
      /pulse_http_request_duration_seconds_bucket\{le="0\.001",method="GET",route="\/healthz"\} \d/,
    );
    expect(text).toContain('pulse_ws_clients 0');
    expect(text).toContain('pulse_market_feed_connected{source="sim"} 0');
    expect(text).toMatch(/pulse_firewall_inspected_total \d+/);
    expect(text).not.toContain('ZZZZ');
  });

  it('refuses a non-loopback scraper without the token and accepts it with the token', async () => {
    const anonymous = await t.app.http.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '203.0.113.9',
    });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await t.app.http.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.http.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.statusCode).toBe(200);
  });
});
