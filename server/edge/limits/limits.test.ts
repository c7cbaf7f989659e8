import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cookieFrom, createTestApp, type TestApp } from '../../testing/test-app.js';
import { bodyLimitFor } from './index.js';

/** Writes `request` on a raw socket and resolves with everything read until the server closes it. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('server limits on a real socket', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp({
      serverLimits: { headersTimeoutMs: 600, connectionsCheckingIntervalMs: 100, maxConnectionsPerIp: 4 },
      wsMessageRate: { capacity: 5, refillPerSecond: 1 },
    });
    const address = await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    port = Number(new URL(address).port);
  });
  afterAll(async () => {
    await t.close();
  });

  it('cuts off a slowloris client that sends its headers byte by byte', async () => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    socket.on('error', () => undefined);
    const drip = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(200);
    let i = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed && i < drip.length) socket.write(drip[i++] ?? '');
    }, 50);
    const elapsed = await closed;
    clearInterval(timer);
    // Headers never completed: Node answers 408 once headersTimeout (600 ms) passes, checked every 100 ms.
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(2_000);
    expect(i).toBeLessThan(drip.length);
  });

  it('refuses connections from one IP past the limit, and accepts again when one closes', async () => {
    const open: net.Socket[] = [];
    for (let i = 0; i < 4; i += 1) {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      open.push(socket);
    }
    // Let the server see all four before the fifth.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.app.connections.open('127.0.0.1')).toBe(4);
    const refusedBefore = t.app.connections.counters.refused;
    const fifth = await rawExchange(
      port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ).catch((error: NodeJS.ErrnoException) => `error ${error.code ?? ''}`);
    expect(fifth).not.toMatch(/200 OK/);
    expect(t.app.connections.counters.refused).toBe(refusedBefore + 1);
    const first = open.shift();
    const gone = new Promise((resolve) => first?.once('close', resolve));
    first?.destroy();
    await gone;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(again).toMatch(/^HTTP\/1\.1 200 OK/);
    for (const socket of open) socket.destroy();
  });

  it('answers 431 to too many header fields and to oversized headers', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const many = Array.from({ length: 70 }, (_, i) => `X-H${i}: v`).join('\r\n');
    const counted = await rawExchange(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\n${many}\r\nConnection: close\r\n\r\n`,
    );
    expect(counted).toMatch(/^HTTP\/1\.1 431/);
    expect(counted).toContain('"code":"EDGE_HEADERS_TOO_LARGE"');
    const huge = await rawExchange(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(17 * 1024)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    const fine = await rawExchange(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\n${many.split('\r\n').slice(0, 40).join('\r\n')}\r\nConnection: close\r\n\r\n`,
    );
    expect(fine).toMatch(/^HTTP\/1\.1 200/);
  });

  it('closes a WebSocket that floods messages with an error and 1008', async () => {
    const setup = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/setup/owner',
      payload: { email: 'owner@example.com', password: 'correct horse battery staple' },
    });
    const cookie = cookieFrom(setup.headers['set-cookie']);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream`, { headers: { cookie } });
    const messages: { T: string; code?: string }[] = [];
    socket.on('message', (data) => messages.push(...(JSON.parse(String(data)) as { T: string }[])));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise((resolve) => socket.once('open', resolve));
    for (let i = 0; i < 200; i += 1) socket.send(JSON.stringify({ action: 'ping', id: i }));
    expect(await closed).toEqual({ code: 1008, reason: 'EDGE_RATE_LIMITED' });
    expect(messages).toContainEqual(expect.objectContaining({ T: 'error', code: 'EDGE_RATE_LIMITED' }));
    // The burst of 5 was answered (plus at most the one message that tipped it over); the flood was not.
    expect(messages.filter((m) => m.T === 'pong').length).toBeLessThanOrEqual(6);
  });
});

describe('bodyLimitFor', () => {
  it('gives auth 16 KiB, orders 64 KiB and the rest 256 KiB', () => {
    expect(bodyLimitFor('POST', '/api/v1/auth/login')).toBe(16 * 1024);
    expect(bodyLimitFor('POST', '/api/v1/setup/owner')).toBe(16 * 1024);
    expect(bodyLimitFor('POST', '/api/v1/orders')).toBe(64 * 1024);
    expect(bodyLimitFor('PATCH', '/api/v1/orders/:id')).toBe(64 * 1024);
    expect(bodyLimitFor('POST', '/api/v1/watchlists')).toBe(256 * 1024);
  });

  it('answers 413 to a 20 KiB sign-in but lets the same size through elsewhere', async () => {
    const t = await createTestApp();
    try {
      const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(20 * 1024) });
      const signIn = await t.app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: big,
      });
      expect(signIn.statusCode).toBe(413);
      expect(signIn.json().code).toBe('REQUEST_BODY_TOO_LARGE');
      const list = await t.app.http.inject({
        method: 'POST',
        url: '/api/v1/watchlists',
        headers: { 'content-type': 'application/json' },
        payload: big,
      });
      expect(list.statusCode).not.toBe(413);
    } finally {
      await t.close();
    }
  });
});
