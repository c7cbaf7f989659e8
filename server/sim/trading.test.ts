import { decode } from '@msgpack/msgpack';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Clock, ManualClock } from '../../core/kernel/index.js';
import { MarketSimulator } from '../../core/market-data/index.js';
import { at, quoteOf } from '../../core/testing/trading-fixtures.js';
import { type SimServer, buildSimServer } from './index.js';

const simulator = new MarketSimulator({ seed: 'sim-trading' });
const HEADERS = {
  'APCA-API-KEY-ID': 'PKT',
  'APCA-API-SECRET-KEY': 'secret',
  'content-type': 'application/json',
};
let sim: SimServer | undefined;

async function start(clock: Clock, brokerMarket: 'simulator' | 'injected' = 'injected') {
  sim = await buildSimServer({ simulator, clock, tickMs: 20, brokerMarket, key: 'PKT', secret: 'secret' });
  const origin = await sim.app.listen({ host: '127.0.0.1', port: 0 });
  return { sim, origin };
}
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

type Frame = { stream: string; data: Record<string, unknown> };

/** A raw trade_updates client collecting decoded frames. */
async function streamClient(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  socket.on('message', (data: Buffer, isBinary) => {
    const msgpack = headers['Content-Type'] === 'application/msgpack';
    const frame = (msgpack ? decode(data) : JSON.parse(data.toString('utf8'))) as Frame;
    if (!isBinary) frame.data.__text = true;
    frames.push(frame);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, frames, send: (m: unknown) => socket.send(JSON.stringify(m)) };
}

describe('pulse sim Trading API v2', () => {
  it('accepts numbers or strings for decimals and answers POST, GET, DELETE (204) and cancel-all (207)', async () => {
    const clock = new ManualClock(at('2024-03-12', '10:00'));
    const { origin } = await start(clock);
    await sim?.accounts.injectQuote(quoteOf('AAPL', clock.now(), 100, 100.05));
    const post = (body: object) =>
      fetch(`${origin}/v2/orders`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) });
    const a = await post({
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'gtc',
      qty: 1,
      limit_price: 90.5,
    });
    const b = await post({
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      time_in_force: 'gtc',
      qty: '2',
      limit_price: '91',
    });
    const [ja, jb] = (await Promise.all([a.json(), b.json()])) as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect([a.status, ja.qty, ja.limit_price, ja.status]).toEqual([200, '1', '90.5', 'new']);
    expect(jb.qty).toBe('2');
    const one = await fetch(`${origin}/v2/orders/${String(ja.id)}`, { method: 'DELETE', headers: HEADERS });
    expect([one.status, await one.text()]).toEqual([204, '']);
    const again = await fetch(`${origin}/v2/orders/${String(ja.id)}`, { method: 'DELETE', headers: HEADERS });
    expect([again.status, await again.json()]).toEqual([
      422,
      { code: 42210000, message: 'order is already in "canceled" state' },
    ]);
    const all = await fetch(`${origin}/v2/orders`, { method: 'DELETE', headers: HEADERS });
    expect(all.status).toBe(207);
    expect(
      ((await all.json()) as Array<{ id: string; status: number }>).map((r) => [r.id, r.status]),
    ).toEqual([[jb.id, 200]]);
    const bad = await fetch(`${origin}/v2/orders/not-a-uuid`, { headers: HEADERS });
    expect([bad.status, await bad.json()]).toEqual([422, { code: 40010001, message: 'order_id is missing' }]);
    const byClient = await fetch(
      `${origin}/v2/orders:by_client_order_id?client_order_id=${String(jb.client_order_id)}`,
      {
        headers: HEADERS,
      },
    );
    expect(((await byClient.json()) as { id: string }).id).toBe(jb.id);
  });

  it('fills a resting order from the simulated tape as the clock advances and reports it on trade_updates', async () => {
    const clock = new ManualClock(Date.parse('2024-03-12T15:00:00Z'));
    const { sim, origin } = await start(clock, 'simulator');
    const client = await streamClient(`${origin.replace('http', 'ws')}/stream`);
    client.send({ action: 'auth', key: 'PKT', secret: 'secret' });
    client.send({ action: 'listen', data: { streams: ['trade_updates', 'nope'] } });
    await vi.waitFor(() =>
      expect(client.frames.map((f) => f.stream)).toEqual(['authorization', 'listening']),
    );
    expect(client.frames[0]?.data).toEqual({ status: 'authorized', action: 'auth' });
    expect(client.frames[1]?.data).toEqual({ streams: ['trade_updates'] });
    // A buy limit a cent above the next hour's low fills once the tape trades through it.
    const now = clock.now();
    const later = simulator.tradesBetween('AAPL', now, now + 3_600_000);
    const low = Math.min(...later.map((t) => t.price));
    await fetch(`${origin}/v2/orders`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({
        symbol: 'AAPL',
        side: 'buy',
        type: 'limit',
        time_in_force: 'day',
        qty: '1',
        limit_price: (Math.ceil(low * 100) / 100 + 0.01).toFixed(2),
      }),
    });
    clock.advance(3_600_000);
    await vi.waitFor(() =>
      expect(client.frames.filter((f) => f.stream === 'trade_updates').map((f) => f.data.event)).toEqual([
        'new',
        'fill',
      ]),
    );
    const fill = client.frames.at(-1)?.data ?? {};
    expect(Object.keys(fill).sort()).toEqual([
      'event',
      'execution_id',
      'order',
      'position_qty',
      'price',
      'qty',
      'timestamp',
    ]);
    expect([fill.qty, fill.position_qty, fill.__text]).toEqual(['1', '1', undefined]);
    expect(sim.accounts.forKey('PKT').activities).toHaveLength(1);
    client.socket.close();
  });

  it('takes the authenticate form, refuses listen before auth and wrong keys, speaks msgpack and answers pings', async () => {
    const clock = new ManualClock(at('2024-03-12', '10:00'));
    const { origin } = await start(clock);
    const url = `${origin.replace('http', 'ws')}/stream`;
    const early = await streamClient(url);
    early.send({ action: 'listen', data: { streams: ['trade_updates'] } });
    early.send({ action: 'authenticate', data: { key_id: 'PKT', secret_key: 'wrong' } });
    await vi.waitFor(() => expect(early.frames).toHaveLength(2));
    expect(early.frames.map((f) => f.data.status)).toEqual(['unauthorized', 'unauthorized']);

    const packed = await streamClient(url, { 'Content-Type': 'application/msgpack' });
    packed.send({ action: 'authenticate', data: { key_id: 'PKT', secret_key: 'secret' } });
    packed.send({ action: 'listen', data: { streams: ['trade_updates'] } });
    await vi.waitFor(() =>
      expect(packed.frames.map((f) => f.stream)).toEqual(['authorization', 'listening']),
    );
    const pong = new Promise((resolve) => packed.socket.once('pong', resolve));
    packed.socket.ping();
    await pong;
    packed.socket.close();
  });
});
