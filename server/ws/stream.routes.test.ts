import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../contracts/stream.js';
import { freshPostgres, type TestDatabase } from '../testing/databases.js';
import { cookieFrom, createTestApp, type TestApp } from '../testing/test-app.js';

type Message = ServerMessage & Record<string, unknown>;

/** A WebSocket client that collects every message the server sends. */
function openClient(url: string, cookie?: string) {
  const socket = new WebSocket(url, { headers: cookie ? { cookie } : {} });
  const messages: Message[] = [];
  socket.on('message', (data) => messages.push(...(JSON.parse(String(data)) as Message[])));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const until = async (predicate: (m: Message[]) => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(messages)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { socket, messages, closed, until, opened: new Promise((r) => socket.once('open', r)) };
}

/** Creates the owner (their session cookie) and listens on loopback (the stream's ws:// URL). */
async function ownerAndStreamUrl(t: TestApp): Promise<{ cookie: string; url: string }> {
  const res = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/setup/owner',
    payload: { email: 'owner@example.com', password: 'correct horse battery staple' },
  });
  const address = await t.app.http.listen({ host: '127.0.0.1', port: 0 });
  return {
    cookie: cookieFrom(res.headers['set-cookie']),
    url: `${address.replace('http', 'ws')}/api/v1/stream`,
  };
}

describe('streamRoutes', () => {
  let t: TestApp;
  let url: string;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie, url } = await ownerAndStreamUrl(t));
    await t.live.start();
  });
  afterAll(async () => {
    await t.close();
  });

  it('closes an unauthenticated connection with AUTH_REQUIRED', async () => {
    const client = openClient(url);
    expect(await client.closed).toBe(4401);
    expect(client.messages).toEqual([
      { T: 'error', code: 'AUTH_REQUIRED', msg: 'Sign in to stream market data.' },
    ]);
  });

  it('streams forming and closed 1Min bars that agree with history', async () => {
    const client = openClient(url, cookie);
    await client.until((m) => m.some((x) => x.T === 'success' && x.msg === 'authenticated'));
    expect(client.messages[0]).toEqual({ T: 'success', msg: 'connected', source: 'sim' });
    client.socket.send(JSON.stringify({ action: 'subscribe', bars: ['AAPL'], trades: ['AAPL'] }));
    await client.until((m) => m.some((x) => x.T === 'subscription'));
    expect(client.messages.find((x) => x.T === 'subscription')).toEqual({
      T: 'subscription',
      trades: ['AAPL'],
      quotes: [],
      bars: ['AAPL'],
    });

    const minute = t.clock.now() - (t.clock.now() % 60_000);
    for (let i = 0; i < 30; i += 1) {
      t.clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 25));
    }
    await client.until((m) => m.some((x) => x.T === 'b'));
    const closed = client.messages.find((x) => x.T === 'b' && x.t === new Date(minute).toISOString()) as
      Message | undefined;
    expect(closed).toBeDefined();
    expect(client.messages.some((x) => x.T === 'u')).toBe(true);
    expect(client.messages.every((x) => !('S' in x) || x.S === 'AAPL')).toBe(true);

    const history = await t.app.http.inject({
      method: 'GET',
      url: `/api/v1/bars?symbols=AAPL&timeframe=1Min&start=${new Date(minute).toISOString()}&end=${new Date(minute + 60_000).toISOString()}`,
    });
    const bar = history.json().bars.AAPL[0];
    expect(closed).toMatchObject({ o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: bar.v, n: bar.n, vw: bar.vw });
    const trades = client.messages.filter(
      (x) => x.T === 't' && Date.parse(String(x.t)) >= minute && Date.parse(String(x.t)) < minute + 60_000,
    );
    expect(trades.reduce((sum, x) => sum + Number(x.s), 0)).toBe(bar.v);
    client.socket.close();
  });

  it('answers invalid messages with STREAM_INVALID_MESSAGE and pings with pong', async () => {
    const client = openClient(url, cookie);
    await client.opened;
    client.socket.send('not json');
    client.socket.send(JSON.stringify({ action: 'subscribe', bars: 'AAPL' }));
    client.socket.send(JSON.stringify({ action: 'ping', id: 7 }));
    await client.until((m) => m.some((x) => x.T === 'pong'));
    const errors = client.messages.filter((x) => x.T === 'error');
    expect(errors).toEqual([
      { T: 'error', code: 'STREAM_INVALID_MESSAGE', msg: 'Not valid JSON.' },
      { T: 'error', code: 'STREAM_INVALID_MESSAGE', msg: expect.stringMatching(/^bars: /) },
    ]);
    expect(client.messages.find((x) => x.T === 'pong')).toMatchObject({ id: 7 });
    client.socket.close();
  });
});

// On PostgreSQL the session lookup is a network round trip: a client that subscribes as soon as the socket
// opens speaks before the server knows who it is (on PGlite the lookup usually wins the race).
describe('streamRoutes on PostgreSQL', () => {
  let t: TestApp;
  let database: TestDatabase;
  let url: string;
  let cookie: string;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await createTestApp({}, { database });
    ({ cookie, url } = await ownerAndStreamUrl(t));
  });
  afterAll(async () => {
    await t.close();
    await database.dispose();
  });

  it('keeps what a client sends the moment the socket opens, before its session is looked up', async () => {
    const clients = Array.from({ length: 12 }, () => openClient(url, cookie));
    await Promise.all(
      clients.map(async (client) => {
        await client.opened;
        client.socket.send(JSON.stringify({ action: 'subscribe', quotes: ['MSFT'] }));
        client.socket.send(JSON.stringify({ action: 'ping' }));
      }),
    );
    for (const client of clients) {
      await client.until((m) => m.some((x) => x.T === 'subscription') && m.some((x) => x.T === 'pong'));
      expect(client.messages.find((x) => x.T === 'subscription')).toMatchObject({ quotes: ['MSFT'] });
      client.socket.close();
    }
  });
});
