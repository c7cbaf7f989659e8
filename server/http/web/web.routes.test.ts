import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('webRoutes', () => {
  let t: TestApp;
  let root: string;
  const script = 'console.log("pulse");'.repeat(100);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-web-'));
    fs.mkdirSync(path.join(root, 'assets'));
    const html =
      '<!doctype html><title>Pulse</title><script type="module" src="/assets/index-AbC123xy.js"></script>';
    fs.writeFileSync(path.join(root, 'index.html'), html);
    fs.writeFileSync(path.join(root, 'index.html.br'), zlib.brotliCompressSync(html));
    fs.writeFileSync(path.join(root, 'assets/index-AbC123xy.js'), script);
    fs.writeFileSync(path.join(root, 'assets/index-AbC123xy.js.br'), zlib.brotliCompressSync(script));
    fs.writeFileSync(path.join(root, 'assets/index-AbC123xy.js.gz'), zlib.gzipSync(script));
    fs.writeFileSync(path.join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    t = await createTestApp({ webRoot: root });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves hashed assets as immutable for a year, precompressed with brotli when accepted', async () => {
    const res = await t.app.http.inject({
      method: 'GET',
      url: '/assets/index-AbC123xy.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(script);
    const gzip = await t.app.http.inject({
      method: 'GET',
      url: '/assets/index-AbC123xy.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const plain = await t.app.http.inject({ method: 'GET', url: '/assets/index-AbC123xy.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('serves index.html and the service worker with no-cache', async () => {
    const index = await t.app.http.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toContain('<title>Pulse</title>');
    const sw = await t.app.http.inject({ method: 'GET', url: '/sw.js' });
    expect(sw.headers['cache-control']).toBe('no-cache');
  });

  it('answers client-side routes with index.html, but unknown API paths with JSON 404', async () => {
    const route = await t.app.http.inject({
      method: 'GET',
      url: '/settings',
      headers: { accept: 'text/html' },
    });
    expect(route.statusCode).toBe(200);
    expect(route.headers['content-type']).toContain('text/html');
    expect(route.body).toContain('<title>Pulse</title>');
    const api = await t.app.http.inject({
      method: 'GET',
      url: '/api/v1/nope',
      headers: { accept: 'text/html' },
    });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('ROUTE_NOT_FOUND');
  });
});
