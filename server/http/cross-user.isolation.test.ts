import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBody } from '../testing/sample-body.js';
import { type TestUser, type TradingTestApp, tradingTestApp } from './trading/testing/trading-fixture.js';

// Every route is swept, including those added later by anyone: a new route that takes an id and
// answers another user's id with data (or a 2xx) fails this test by name.

type Credentials = { name: string; headers: Record<string, string> };

const ORDER = {
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  time_in_force: 'gtc',
  qty: '2',
  limit_price: '1.5',
  client_order_id: 'victim-order-1',
};

/**
 * The route's path with every `:param` set to `id` (`::` is Fastify's literal colon); a symbol
 * parameter gets a symbol the victim holds in a watchlist, so symbol-keyed routes are reached too.
 */
function fill(url: string, id: string): string {
  return url
    .replace(/(?<!:):([A-Za-z_]\w*)/g, (_m, name: string) =>
      /symbol/i.test(name) ? 'NVDA' : encodeURIComponent(id),
    )
    .replaceAll('::', ':');
}

function takesId(url: string): boolean {
  return /(?<!:):[A-Za-z_]/.test(url.replaceAll('::', ''));
}

describe('cross-user isolation', () => {
  let t: TradingTestApp;
  let victim: TestUser;
  let mallory: TestUser;
  const ids: Record<string, string> = {};
  let markers: string[];
  let attackers: Credentials[];

  beforeAll(async () => {
    t = await tradingTestApp();
    await t.user('owner', 'owner@example.com');
    victim = await t.user('trader', 'victim@example.com');
    mallory = await t.user('trader', 'mallory@example.com');
    ids.user = victim.id;
    const list = await t.call(victim, 'POST', '/api/v1/watchlists', {
      name: 'Victim secret list',
      symbols: ['NVDA'],
    });
    ids.watchlist = list.json<{ id: string }>().id;
    const order = await t.call(victim, 'POST', '/api/v1/orders', ORDER);
    expect(order.statusCode).toBe(200);
    ids.order = order.json<{ id: string }>().id;
    ids.clientOrder = ORDER.client_order_id;
    const token = await t.call(victim, 'POST', '/api/v1/tokens', { name: 'victim token', scope: 'trade' });
    ids.token = token.json<{ id: string }>().id;
    const keys = await t.call(victim, 'PUT', '/api/v1/broker-keys', {
      keyId: 'PKVICTIMKEY1234',
      secretKey: 'victim-secret-key-material',
      scope: 'paper',
    });
    expect(keys.statusCode).toBe(200);
    ids.session =
      (await t.call(victim, 'GET', '/api/v1/auth/sessions')).json<{ id: string }[]>()[0]?.id ?? '';
    markers = [
      'victim@example.com',
      'Victim secret list',
      'victim token',
      'victim-secret-key-material',
      'PKVICTIMKEY1234',
      ...Object.values(ids),
    ];

    const mint = async (scope: string) =>
      (await t.call(mallory, 'POST', '/api/v1/tokens', { name: `mallory ${scope}`, scope })).json<{
        token: string;
      }>().token;
    attackers = [
      { name: 'session', headers: { cookie: mallory.cookie, 'x-csrf-token': mallory.csrf } },
      { name: 'trade token', headers: { authorization: `Bearer ${await mint('trade')}` } },
      { name: 'admin-scope token', headers: { authorization: `Bearer ${await mint('admin')}` } },
    ];
  }, 30_000);

  afterAll(async () => {
    await t.close();
  });

  async function send(
    method: string,
    url: string,
    creds: Credentials,
    body: unknown,
  ): Promise<LightMyRequestResponse> {
    return t.app.http.inject({
      method: method as 'GET',
      url,
      headers: creds.headers,
      ...(body !== undefined && method !== 'GET' && method !== 'DELETE' && { payload: body as object }),
    });
  }

  function leaked(res: LightMyRequestResponse, allowed: string): string[] {
    return markers.filter((m) => m !== allowed && res.body.includes(m));
  }

  it('answers every id-taking route called with another user’s ids with 4xx and none of their data', async () => {
    // Public routes (market data) hold nobody's data; every other route is swept.
    const routes = t.app.routes.filter(
      (r) => r.url.startsWith('/api/') && !r.websocket && r.access !== 'public' && takesId(r.url),
    );
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'GET /api/v1/orders/:id',
        'DELETE /api/v1/watchlists/:id',
        'DELETE /api/v1/tokens/:id',
        'DELETE /api/v1/auth/sessions/:id',
        'PATCH /api/v1/users/:id',
      ]),
    );
    const failures: string[] = [];
    const onlyValidated: string[] = [];
    for (const route of routes) {
      let reached = false;
      for (const [kind, id] of Object.entries(ids)) {
        for (const creds of attackers) {
          const res = await send(route.method, fill(route.url, id), creds, sampleBody(route.body));
          const where = `${route.method} ${route.url} with the victim's ${kind} id as ${creds.name}`;
          if (res.statusCode < 400) failures.push(`${where}: ${res.statusCode}`);
          const leaks = leaked(res, id);
          if (leaks.length > 0) failures.push(`${where}: response contains ${leaks.join(', ')}`);
          if (res.statusCode !== 400) reached = true;
        }
      }
      if (!reached) onlyValidated.push(`${route.method} ${route.url}`);
    }
    expect(failures).toEqual([]);
    // A route that refused every attempt at validation was not really tested: teach sampleBody its body.
    expect(onlyValidated).toEqual([]);
  }, 120_000);

  it('shows none of the victim’s data on any list route', async () => {
    const routes = t.app.routes.filter(
      (r) => r.method === 'GET' && r.url.startsWith('/api/v1/') && !r.websocket && !takesId(r.url),
    );
    const failures: string[] = [];
    for (const route of routes) {
      for (const creds of attackers) {
        const res = await send('GET', route.url.replaceAll('::', ':'), creds, undefined);
        const leaks = leaked(res, '');
        if (leaks.length > 0) failures.push(`GET ${route.url} as ${creds.name}: ${leaks.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('leaves the victim’s watchlist, order, token, session and keys untouched after the sweep', async () => {
    const list = await t.call(victim, 'GET', '/api/v1/watchlists');
    expect(list.json()).toMatchObject([{ id: ids.watchlist, symbols: ['NVDA'] }]);
    const order = await t.call(victim, 'GET', `/api/v1/orders/${ids.order}`);
    expect(order.json()).toMatchObject({ status: expect.stringMatching(/new|accepted|pending_new/) });
    const tokens = await t.call(victim, 'GET', '/api/v1/tokens');
    expect(tokens.json()).toMatchObject([{ id: ids.token, revokedAt: null }]);
    const sessions = await t.call(victim, 'GET', '/api/v1/auth/sessions');
    expect(sessions.json()).toMatchObject([{ id: ids.session }]);
    expect((await t.call(victim, 'GET', '/api/v1/broker-keys')).json()).toMatchObject({ keyIdLast4: '1234' });
    expect((await t.call(victim, 'GET', '/api/v1/auth/me')).json()).toMatchObject({ role: 'trader' });
  });
});
