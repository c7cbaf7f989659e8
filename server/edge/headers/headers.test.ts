import crypto from 'node:crypto';
import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, createTestApp, type TestApp } from '../../testing/test-app.js';
import { parseCspReports, selfSignedCertificate } from './index.js';

describe('securityHeadersPlugin in the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends a strict CSP with reporting, Permissions-Policy, COOP and CORP, and no HSTS over HTTP', async () => {
    const res = await t.app.http.inject({ url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY='");
    expect(csp).toContain('report-uri /api/v1/csp-report');
    expect(csp).toContain('report-to csp');
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(res.headers['reporting-endpoints']).toBe('csp="/api/v1/csp-report"');
    expect(res.headers['permissions-policy']).toMatch(
      /camera=\(\), .*geolocation=\(\), .*microphone=\(\), .*payment=\(\)/,
    );
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(csp).toBe(
      "default-src 'self';script-src 'self';style-src 'self' 'sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY=';" +
        "img-src 'self' data:;connect-src 'self';font-src 'self';worker-src 'self';manifest-src 'self';" +
        "object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none';" +
        'report-uri /api/v1/csp-report;report-to csp',
    );
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'origin-agent-cluster': '?1',
      'x-permitted-cross-domain-policies': 'none',
      'x-dns-prefetch-control': 'off',
      'x-xss-protection': '0',
    });
  });

  it('sends HSTS when a trusted proxy says the request came over HTTPS', async () => {
    const proxied = await createTestApp({ trustProxy: ['127.0.0.1/32'] });
    try {
      const res = await proxied.app.http.inject({
        url: '/healthz',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const spoofed = await proxied.app.http.inject({
        url: '/healthz',
        remoteAddress: '192.0.2.7',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await proxied.close();
    }
  });
});

describe('POST /api/v1/csp-report', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const post = (type: string, payload: string, remoteAddress = '127.0.0.1') =>
    t.app.http.inject({
      method: 'POST',
      url: '/api/v1/csp-report',
      remoteAddress,
      headers: { 'content-type': type },
      payload,
    });

  it('stores and counts a CSP2 report whose sample looks like an attack (the firewall lets it in)', async () => {
    const report = {
      'csp-report': {
        'document-uri': 'http://127.0.0.1:3000/markets',
        'blocked-uri': 'inline',
        'violated-directive': "script-src-elem 'self'",
        'effective-directive': 'script-src-elem',
        'original-policy': "default-src 'self'; script-src 'self'",
        disposition: 'enforce',
        'script-sample': '<script>alert(document.cookie)</script>',
        'line-number': 12,
      },
    };
    const res = await post('application/csp-report', JSON.stringify(report));
    expect(res.statusCode).toBe(204);
    expect(t.app.http.cspReports.recent().at(-1)).toEqual({
      at: expect.any(String),
      documentUrl: 'http://127.0.0.1:3000/markets',
      blockedUrl: 'inline',
      directive: 'script-src-elem',
      disposition: 'enforce',
      line: 12,
      sample: '<script>alert(document.cookie)</script>',
    });
  });

  it('takes a report that arrives with the session cookie but no CSRF token', async () => {
    const setup = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/setup/owner',
      payload: { email: 'owner@example.com', password: 'correct horse battery staple' },
    });
    const cookie = cookieFrom(setup.headers['set-cookie']);
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/csp-report',
      headers: { 'content-type': 'application/csp-report', cookie },
      payload: '{"csp-report":{"blocked-uri":"eval","effective-directive":"script-src"}}',
    });
    expect(res.statusCode).toBe(204);
    // The same cookie on a real change still needs the token.
    const change = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/watchlists',
      headers: { cookie },
      payload: { name: 'x' },
    });
    expect(change.json().code).toBe('AUTH_CSRF_FAILED');
  });

  it('reads Reporting API batches and keeps only csp-violation reports', async () => {
    const before = t.app.http.cspReports.counters.received;
    const batch = [
      {
        type: 'csp-violation',
        age: 1,
        url: 'http://127.0.0.1:3000/',
        body: {
          documentURL: 'http://127.0.0.1:3000/',
          blockedURL: 'https://evil.example/x.js',
          effectiveDirective: 'script-src-elem',
          disposition: 'enforce',
        },
      },
      { type: 'deprecation', age: 1, url: 'http://127.0.0.1:3000/', body: { id: 'x' } },
    ];
    expect((await post('application/reports+json', JSON.stringify(batch))).statusCode).toBe(204);
    expect(t.app.http.cspReports.counters.received).toBe(before + 1);
    expect(t.app.http.cspReports.counters.byDirective['script-src-elem']).toBeGreaterThanOrEqual(2);
  });

  it('refuses a report over 16 KiB, junk, and a flood from one address', async () => {
    const big = JSON.stringify({ 'csp-report': { 'document-uri': 'x'.repeat(17 * 1024) } });
    expect((await post('application/csp-report', big, '192.0.2.1')).statusCode).toBe(413);
    expect((await post('application/csp-report', '{"nope":1}', '192.0.2.2')).statusCode).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1)
      statuses.push((await post('application/csp-report', '{"csp-report":{}}', '192.0.2.3')).statusCode);
    expect(statuses.filter((s) => s === 204)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('parseCspReports', () => {
  it('cuts long fields and ignores what is not a report', () => {
    const [one] = parseCspReports({ 'csp-report': { 'blocked-uri': 'x'.repeat(2_000) } }, 't') ?? [];
    expect(one?.blockedUrl).toHaveLength(512);
    expect(parseCspReports('text', 't')).toBeUndefined();
  });
});

describe('HTTPS (TLS_CERT/TLS_KEY)', () => {
  const pair = selfSignedCertificate();
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp({ https: { ...pair, minVersion: 'TLSv1.3' } });
    const address = await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    port = Number(new URL(address).port);
  });
  afterAll(async () => {
    await t.close();
  });

  it('makes a certificate for localhost and 127.0.0.1 that verifies with node:crypto alone', () => {
    const cert = new crypto.X509Certificate(pair.cert);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.ca).toBe(false);
  });

  it('answers over TLS 1.3 with HSTS', async () => {
    const res = await new Promise<{ status: number; protocol: string; hsts: unknown }>((resolve, reject) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/healthz', ca: pair.cert }, (response) => {
        const socket = response.socket as tls.TLSSocket;
        resolve({
          status: response.statusCode ?? 0,
          protocol: socket.getProtocol() ?? '',
          hsts: response.headers['strict-transport-security'],
        });
        response.resume();
      });
      req.on('error', reject);
    });
    expect(res).toEqual({ status: 200, protocol: 'TLSv1.3', hsts: 'max-age=31536000; includeSubDomains' });
  });

  it('refuses a client that speaks at most TLS 1.2', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = tls.connect(
        { host: '127.0.0.1', port, ca: pair.cert, servername: 'localhost', maxVersion: 'TLSv1.2' },
        () => {
          resolve(`connected ${socket.getProtocol() ?? ''}`);
          socket.destroy();
        },
      );
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(outcome).toMatch(/ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION|EPROTO|ECONNRESET|UNSUPPORTED_PROTOCOL/);
  });
});
