import { decode, encode } from '@msgpack/msgpack';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/kernel/index.js';
import { MarketSimulator } from '../../core/market-data/index.js';
import { presentQuote } from './presenter.js';
import { type SimServerOptions, buildSimServer } from './sim-server.js';

/** A stream frame as a test sees it: an array of messages. */
type Frame = Array<Record<string, unknown>>;

/** A raw `ws` client for stream tests: queues decoded frames and the close event. */
class TestStreamClient {
  readonly frames: Frame[] = [];
  closed: { code: number } | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      this.frames.push((isBinary ? decode(bytes) : JSON.parse(bytes.toString('utf8'))) as Frame);
      this.wake();
    });
    socket.on('close', (code) => {
      this.closed = { code };
      this.wake();
    });
  }

  /** Connects to `url`; resolves once open (rejects with the HTTP status when the upgrade is refused). */
  static open(url: string, headers: Record<string, string> = {}): Promise<TestStreamClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new TestStreamClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => {
        socket.terminate();
        reject(new Error(`HTTP ${res.statusCode} retry-after=${res.headers['retry-after']}`));
      });
      socket.once('error', reject);
    });
  }

  /** Sends a JSON text frame. */
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next unread frame, waiting up to `ms`. */
  async next(ms = 2000): Promise<Frame> {
    const deadline = Date.now() + ms;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error(`closed (${this.closed.code}) with no frame`);
      if (Date.now() > deadline) throw new Error('no frame in time');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.frames.shift() as Frame;
  }

  /** Resolves when the socket has closed, waiting up to `ms`. */
  async closedWithin(ms = 2000): Promise<{ code: number }> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('still open');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.closed;
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

const NOW = Date.parse('2024-03-12T15:00:00Z');
const simulator = new MarketSimulator({ seed: 'stream-test' });
const KEY = { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' };

async function serve(options: Partial<SimServerOptions> = {}) {
  const clock = new ManualClock(NOW);
  const sim = await buildSimServer({ simulator, clock, tickMs: 60_000, ...options });
  const origin = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  return { sim, clock, ws: origin.replace('http', 'ws'), origin };
}

async function connected(url: string, headers: Record<string, string> = {}): Promise<TestStreamClient> {
  const client = await TestStreamClient.open(url, headers);
  expect(await client.next()).toEqual([{ T: 'success', msg: 'connected' }]);
  return client;
}

async function authed(url: string, key = 'k'): Promise<TestStreamClient> {
  const client = await connected(url);
  client.send({ action: 'auth', key, secret: 's' });
  expect(await client.next()).toEqual([{ T: 'success', msg: 'authenticated' }]);
  return client;
}

describe('market data stream (JSON)', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    env = await serve({ symbolLimit: 3 });
  });
  afterAll(() => env.sim.close());

  it('refuses a subscribe before auth with 401, then acks subscriptions with the full state', async () => {
    const client = await connected(`${env.ws}/v2/iex`);
    client.send({ action: 'subscribe', trades: ['AAPL'] });
    expect(await client.next()).toEqual([{ T: 'error', code: 401, msg: 'not authenticated' }]);
    client.send({ action: 'auth', key: 'a', secret: 'b' });
    expect(await client.next()).toEqual([{ T: 'success', msg: 'authenticated' }]);
    client.send({ action: 'auth', key: 'a', secret: 'b' });
    expect(await client.next()).toEqual([{ T: 'error', code: 403, msg: 'already authenticated' }]);
    client.send({ action: 'subscribe', trades: ['AAPL'], quotes: ['MSFT'], bars: ['*'] });
    expect(await client.next()).toEqual([
      {
        T: 'subscription',
        trades: ['AAPL'],
        quotes: ['MSFT'],
        bars: ['*'],
        updatedBars: [],
        dailyBars: [],
        statuses: [],
        lulds: [],
        imbalances: [],
        corrections: ['AAPL'],
        cancelErrors: ['AAPL'],
      },
    ]);
    client.send({ action: 'unsubscribe', bars: ['*'], quotes: ['MSFT'] });
    expect(await client.next()).toMatchObject([
      { T: 'subscription', trades: ['AAPL'], quotes: [], bars: [] },
    ]);
    client.close();
  });

  it('answers bad frames with 400, unsupported channels with 410 and too many symbols with 405', async () => {
    const client = await authed(`${env.ws}/v2/sip`, 'bad-frames');
    client.send('{not json');
    expect(await client.next()).toEqual([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    client.send({ action: 'dance' });
    expect(await client.next()).toEqual([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    client.send({ action: 'subscribe', trades: [42] });
    expect(await client.next()).toEqual([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    client.send({ action: 'subscribe', news: ['AAPL'] });
    expect(await client.next()).toEqual([
      { T: 'error', code: 410, msg: 'invalid subscribe action for this feed' },
    ]);
    client.send({ action: 'subscribe', trades: ['AAPL', 'MSFT'], quotes: ['NVDA', 'AMD'] });
    expect(await client.next()).toEqual([{ T: 'error', code: 405, msg: 'symbol limit exceeded' }]);
    client.send({ action: 'subscribe', bars: ['AAPL'] });
    expect(await client.next()).toMatchObject([
      { T: 'subscription', trades: [], quotes: [], bars: ['AAPL'] },
    ]);
    client.close();
  });

  it('allows one connection per key and feed: a second gets 406 and is closed', async () => {
    const first = await authed(`${env.ws}/v2/iex`, 'solo');
    const second = await connected(`${env.ws}/v2/iex`);
    second.send({ action: 'auth', key: 'solo', secret: 's' });
    expect(await second.next()).toEqual([{ T: 'error', code: 406, msg: 'connection limit exceeded' }]);
    await second.closedWithin();
    const otherFeed = await authed(`${env.ws}/v2/sip`, 'solo');
    first.close();
    await first.closedWithin();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await authed(`${env.ws}/v2/iex`, 'solo');
    again.close();
    otherFeed.close();
  });

  it('authenticates from the APCA headers of the upgrade', async () => {
    const client = await connected(`${env.ws}/v2/iex`, {
      'APCA-API-KEY-ID': 'header-key',
      'APCA-API-SECRET-KEY': 's',
    });
    expect(await client.next()).toEqual([{ T: 'success', msg: 'authenticated' }]);
    client.close();
  });

  it('sends one frame per tick with trades and quotes, and the minute bar at its close equal to REST', async () => {
    const client = await authed(`${env.ws}/v2/iex`, 'ticks');
    client.send({ action: 'subscribe', trades: ['AAPL'], quotes: ['AAPL'], bars: ['AAPL', 'MSFT'] });
    await client.next();
    env.sim.hub.tick();
    env.clock.set(NOW + 20_000);
    env.sim.hub.tick();
    const frame = await client.next();
    const trades = simulator.tradesBetween('AAPL', NOW, NOW + 20_000);
    expect(frame.filter((m) => m.T === 't').map((m) => m.i)).toEqual(trades.map((t) => t.id));
    expect(frame.find((m) => m.T === 't')).toMatchObject({
      S: 'AAPL',
      p: trades[0]?.price,
      t: new Date(trades[0]?.t ?? 0).toISOString().replace('.000Z', 'Z'),
    });
    const quote = simulator.quoteAt('AAPL', NOW + 20_000 - 1);
    expect(frame.filter((m) => m.T === 'q')).toEqual([{ T: 'q', S: 'AAPL', ...presentQuote(quote) }]);
    expect(frame.some((m) => m.T === 'b')).toBe(false);

    env.clock.set(NOW + 61_000);
    env.sim.hub.tick();
    const withBars = (await client.next()).filter((m) => m.T === 'b');
    expect(withBars.map((m) => m.S)).toEqual(['AAPL', 'MSFT']);
    const rest = await env.sim.app.inject({
      url: '/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&start=2024-03-12T15:00:00Z&end=2024-03-12T15:00:00Z',
      headers: KEY,
    });
    const restBars = rest.json<{ bars: Record<string, object[]> }>().bars;
    expect(withBars[0]).toEqual({ T: 'b', S: 'AAPL', ...restBars.AAPL?.[0] });
    expect(withBars[1]).toEqual({ T: 'b', S: 'MSFT', ...restBars.MSFT?.[0] });
    client.close();
  });
});

describe('market data stream auth failures', () => {
  it('answers a wrong key with 402 and closes', async () => {
    const env = await serve({ key: 'right', secret: 'pair' });
    try {
      const client = await connected(`${env.ws}/v2/iex`);
      client.send({ action: 'auth', key: 'right', secret: 'wrong' });
      expect(await client.next()).toEqual([{ T: 'error', code: 402, msg: 'auth failed' }]);
      await client.closedWithin();
    } finally {
      await env.sim.close();
    }
  });

  it('answers silence with 404 auth timeout and closes', async () => {
    const env = await serve({ authTimeoutMs: 100 });
    try {
      const client = await connected(`${env.ws}/v2/iex`);
      expect(await client.next()).toEqual([{ T: 'error', code: 404, msg: 'auth timeout' }]);
      await client.closedWithin();
    } finally {
      await env.sim.close();
    }
  });

  it('speaks msgpack when the upgrade asks for it, with t as a timestamp extension', async () => {
    const env = await serve();
    try {
      const client = await TestStreamClient.open(`${env.ws}/v2/iex`, {
        'Content-Type': 'application/msgpack',
      });
      expect(await client.next()).toEqual([{ T: 'success', msg: 'connected' }]);
      client.socket.send(encode({ action: 'auth', key: 'k', secret: 's' }));
      expect(await client.next()).toEqual([{ T: 'success', msg: 'authenticated' }]);
      client.socket.send(encode({ action: 'subscribe', trades: ['AAPL'] }));
      await client.next();
      env.clock.set(NOW + 5_000);
      env.sim.hub.tick();
      const [first] = await client.next();
      expect(first?.t).toBeInstanceOf(Date);
      expect((first?.t as Date).getTime()).toBe(simulator.tradesBetween('AAPL', NOW, NOW + 5_000)[0]?.t);
    } finally {
      await env.sim.close();
    }
  });
});

describe('fault injection', () => {
  it('drops every stream connection each dropEveryMs, like a network failure; clients can reconnect', async () => {
    const env = await serve({ faults: { dropEveryMs: 200 } });
    try {
      const client = await authed(`${env.ws}/v2/iex`);
      expect((await client.closedWithin(1000)).code).toBe(1006);
      const again = await authed(`${env.ws}/v2/iex`);
      expect((await again.closedWithin(1000)).code).toBe(1006);
    } finally {
      await env.sim.close();
    }
  });

  it('refuses upgrades and REST with 429 and Retry-After during the window, then serves again until the next drop', async () => {
    const env = await serve({ faults: { refuseReconnectFor: { ms: 300, status: 429 } } });
    try {
      await expect(TestStreamClient.open(`${env.ws}/v2/iex`)).rejects.toThrow('HTTP 429 retry-after=1');
      const refused = await env.sim.app.inject({ url: '/v2/clock', headers: KEY });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json()).toEqual({ code: 42910000, message: 'too many requests' });
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await env.sim.app.inject({ url: '/v2/clock', headers: KEY })).statusCode).toBe(200);
      const client = await authed(`${env.ws}/v2/iex`);
      env.sim.faults.drop();
      expect((await client.closedWithin()).code).toBe(1006);
      await expect(TestStreamClient.open(`${env.ws}/v2/iex`)).rejects.toThrow('HTTP 429');
    } finally {
      await env.sim.close();
    }
  });
});
