import { describe, expect, it } from 'vitest';
import type { Bar, Quote, Trade } from '../../core/market-data/index.js';
import { type GatewaySocket, StreamClient, StreamGateway } from './stream-gateway.js';

class FakeSocket implements GatewaySocket {
  bufferedAmount = 0;
  frames: unknown[][] = [];
  send(data: Buffer, options: { binary: boolean }): void {
    expect(options.binary).toBe(false);
    this.frames.push(JSON.parse(data.toString()) as unknown[]);
  }
  close(): void {}
}

const trade = (symbol: string, id: number, price = 100): Trade => ({
  symbol,
  t: Date.UTC(2024, 2, 12, 14, 30, 0, id),
  price,
  size: 100,
  id,
  exchange: 'V',
  conditions: ['@'],
  tape: 'C',
});
const quote = (symbol: string, bid: number): Quote => ({
  symbol,
  t: Date.UTC(2024, 2, 12, 14, 30),
  bidPrice: bid,
  bidSize: 100,
  askPrice: bid + 0.01,
  askSize: 200,
  bidExchange: 'V',
  askExchange: 'V',
  conditions: ['R'],
  tape: 'C',
});
const bar = (symbol: string, c: number): Bar => ({
  symbol,
  t: Date.UTC(2024, 2, 12, 14, 30),
  o: 1,
  h: 2,
  l: 0.5,
  c,
  v: 10,
  n: 2,
  vw: 1.5,
  extended: false,
});

function connect(gateway: StreamGateway) {
  const socket = new FakeSocket();
  const client = new StreamClient(socket, 'u1');
  gateway.add(client);
  return { socket, client };
}

describe('StreamGateway', () => {
  it('sends only subscribed symbols, all queued messages in one frame per flush', () => {
    const gateway = new StreamGateway();
    const { socket, client } = connect(gateway);
    gateway.subscribe(client, 'trades', ['AAPL']);
    gateway.publish([
      { kind: 'trade', trade: trade('AAPL', 1) },
      { kind: 'trade', trade: trade('MSFT', 2) },
      { kind: 'trade', trade: trade('AAPL', 3) },
    ]);
    gateway.flush();
    expect(socket.frames).toHaveLength(1);
    expect(socket.frames[0]).toEqual([
      expect.objectContaining({ T: 't', S: 'AAPL', i: 1, p: 100, s: 100, t: '2024-03-12T14:30:00.001Z' }),
      expect.objectContaining({ T: 't', S: 'AAPL', i: 3 }),
    ]);
    gateway.flush();
    expect(socket.frames).toHaveLength(1);
  });

  it('conflates quotes and forming bars to the latest per symbol, but keeps every trade and closed bar', () => {
    const gateway = new StreamGateway();
    const { socket, client } = connect(gateway);
    gateway.subscribe(client, 'quotes', ['AAPL']);
    gateway.subscribe(client, 'bars', ['AAPL']);
    gateway.publish([
      { kind: 'quote', quote: quote('AAPL', 10) },
      { kind: 'updatedBar', bar: bar('AAPL', 1) },
      { kind: 'quote', quote: quote('AAPL', 11) },
      { kind: 'bar', bar: bar('AAPL', 2) },
      { kind: 'updatedBar', bar: bar('AAPL', 3) },
      { kind: 'quote', quote: quote('AAPL', 12) },
    ]);
    gateway.flush();
    const frame = socket.frames[0] as { T: string; bp?: number; c?: number }[];
    expect(frame.map((m) => m.T).sort()).toEqual(['b', 'q', 'u']);
    expect(frame.find((m) => m.T === 'q')?.bp).toBe(12);
    expect(frame.find((m) => m.T === 'u')?.c).toBe(3);
    expect(frame.find((m) => m.T === 'b')?.c).toBe(2);
    expect(gateway.stats.conflated).toBe(3);
  });

  it('delivers a wildcard subscription once even when the symbol is also named', () => {
    const gateway = new StreamGateway();
    const { socket, client } = connect(gateway);
    gateway.subscribe(client, 'trades', ['*', 'AAPL']);
    gateway.publish([
      { kind: 'trade', trade: trade('AAPL', 1) },
      { kind: 'trade', trade: trade('XOM', 2) },
    ]);
    gateway.flush();
    expect((socket.frames[0] as { S: string }[]).map((m) => m.S)).toEqual(['AAPL', 'XOM']);
  });

  it('tells a client that fell too far behind to resync instead of silently dropping', () => {
    const gateway = new StreamGateway({ maxQueued: 3 });
    const { socket, client } = connect(gateway);
    gateway.subscribe(client, 'trades', ['AAPL']);
    socket.bufferedAmount = 10 * 1024 * 1024;
    gateway.publish([1, 2, 3].map((i) => ({ kind: 'trade' as const, trade: trade('AAPL', i) })));
    gateway.flush();
    expect(socket.frames).toHaveLength(0);
    gateway.publish([4, 5].map((i) => ({ kind: 'trade' as const, trade: trade('AAPL', i) })));
    socket.bufferedAmount = 0;
    gateway.flush();
    expect(socket.frames).toHaveLength(1);
    expect(socket.frames[0]).toEqual([expect.objectContaining({ T: 'resync', reason: 'slow_consumer' })]);
    expect(client.resyncs).toBe(1);
    gateway.publish([{ kind: 'trade', trade: trade('AAPL', 6) }]);
    gateway.flush();
    expect(socket.frames[1]).toEqual([expect.objectContaining({ T: 't', i: 6 })]);
  });

  it('refuses a subscription past the per-connection symbol limit', () => {
    const gateway = new StreamGateway({ maxSymbols: 2 });
    const { client } = connect(gateway);
    expect(gateway.subscribe(client, 'trades', ['A', 'B'])).toBe(true);
    expect(gateway.subscribe(client, 'trades', ['C'])).toBe(false);
    expect([...client.subscriptions.trades]).toEqual(['A', 'B']);
  });

  it('stops routing to a removed client', () => {
    const gateway = new StreamGateway();
    const { socket, client } = connect(gateway);
    gateway.subscribe(client, 'trades', ['AAPL']);
    gateway.remove(client);
    gateway.publish([{ kind: 'trade', trade: trade('AAPL', 1) }]);
    gateway.flush();
    expect(socket.frames).toHaveLength(0);
    expect(gateway.clientCount).toBe(0);
  });

  it('bounds memory across clients: past the global cap the deepest queues resync first', () => {
    const gateway = new StreamGateway({ maxQueued: 1_000, maxTotalQueued: 10 });
    const slow = connect(gateway);
    const fast = connect(gateway);
    gateway.subscribe(slow.client, 'trades', ['AAPL']);
    gateway.subscribe(fast.client, 'trades', ['MSFT']);
    slow.socket.bufferedAmount = 10 * 1024 * 1024;
    gateway.publish(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ kind: 'trade' as const, trade: trade('AAPL', i) })),
    );
    gateway.flush();
    gateway.publish([10, 11, 12].map((i) => ({ kind: 'trade' as const, trade: trade('MSFT', i) })));
    expect(gateway.queuedMessages()).toBe(12);
    gateway.flush();
    expect(slow.client.resyncs).toBe(1);
    expect(fast.client.resyncs).toBe(0);
    expect((fast.socket.frames[0] as { i: number }[]).map((m) => m.i)).toEqual([10, 11, 12]);
    expect(gateway.queuedMessages()).toBe(1);
  });

  it('holds every trade for a client whose socket is full, in order, and sends them with the latest quote once it drains', () => {
    const gateway = new StreamGateway();
    const slow = connect(gateway);
    const other = connect(gateway);
    for (const c of [slow, other]) {
      gateway.subscribe(c.client, 'trades', ['AAPL', 'MSFT']);
      gateway.subscribe(c.client, 'quotes', ['AAPL']);
    }
    slow.socket.bufferedAmount = 10 * 1024 * 1024;
    gateway.publish([
      { kind: 'trade', trade: trade('AAPL', 1) },
      { kind: 'quote', quote: quote('AAPL', 10) },
      { kind: 'trade', trade: trade('MSFT', 2) },
    ]);
    gateway.flush();
    gateway.publish([
      { kind: 'trade', trade: trade('AAPL', 3) },
      { kind: 'quote', quote: quote('AAPL', 11) },
    ]);
    gateway.flush();
    expect(slow.socket.frames).toHaveLength(0);
    expect(gateway.queuedMessages()).toBe(4); // three trades and one conflated quote
    slow.socket.bufferedAmount = 0;
    gateway.flush();
    const frame = slow.socket.frames[0] as { T: string; i?: number; bp?: number }[];
    expect(frame.filter((m) => m.T === 't').map((m) => m.i)).toEqual([1, 2, 3]);
    expect(frame.filter((m) => m.T === 'q').map((m) => m.bp)).toEqual([11]);
    // The other client got each tick as it came, with the same messages.
    expect(other.socket.frames.flat().filter((m) => (m as { T: string }).T === 't')).toEqual(
      frame.filter((m) => m.T === 't'),
    );
    expect(gateway.queuedMessages()).toBe(0);
    expect(gateway.stats.messagesSent).toBe(4 + 5);
  });

  it('drops a forming bar superseded by the closed bar of its minute in the same tick', () => {
    const gateway = new StreamGateway();
    const { socket, client } = connect(gateway);
    gateway.subscribe(client, 'bars', ['AAPL']);
    gateway.publish([
      { kind: 'updatedBar', bar: bar('AAPL', 1) },
      { kind: 'bar', bar: bar('AAPL', 2) },
    ]);
    gateway.flush();
    expect(socket.frames[0]).toEqual([expect.objectContaining({ T: 'b', c: 2 })]);
  });
  it('counts a held forming bar superseded by a closed bar as gone, and sends only the closed bar', () => {
    const gateway = new StreamGateway();
    const { socket, client } = connect(gateway);
    gateway.subscribe(client, 'bars', ['AAPL']);
    socket.bufferedAmount = 10 * 1024 * 1024;
    gateway.publish([{ kind: 'updatedBar', bar: bar('AAPL', 1) }]);
    gateway.flush();
    expect(gateway.queuedMessages()).toBe(1);
    gateway.publish([{ kind: 'bar', bar: bar('AAPL', 2) }]);
    gateway.flush();
    expect(gateway.queuedMessages()).toBe(1);
    socket.bufferedAmount = 0;
    gateway.flush();
    expect(socket.frames).toEqual([[expect.objectContaining({ T: 'b', c: 2 })]]);
    expect(gateway.queuedMessages()).toBe(0);
    expect(gateway.stats.messagesSent).toBe(1);
  });

  it('sends the same bytes to every follower of a symbol, one text frame each per flush', () => {
    const gateway = new StreamGateway();
    const a = connect(gateway);
    const b = connect(gateway);
    gateway.subscribe(a.client, 'trades', ['AAPL', 'MSFT']);
    gateway.subscribe(a.client, 'quotes', ['AAPL']);
    gateway.subscribe(b.client, 'trades', ['MSFT']);
    gateway.subscribe(b.client, 'quotes', ['AAPL']);
    gateway.publish([
      { kind: 'trade', trade: trade('MSFT', 1, 400.5) },
      { kind: 'quote', quote: quote('AAPL', 10) },
      { kind: 'trade', trade: trade('AAPL', 2) },
      { kind: 'trade', trade: trade('MSFT', 3, 400.25) },
      { kind: 'quote', quote: quote('AAPL', 10.5) },
    ]);
    gateway.flush();
    expect(a.socket.frames).toHaveLength(1);
    expect(b.socket.frames).toHaveLength(1);
    const msft = [
      expect.objectContaining({ S: 'MSFT', i: 1, p: 400.5 }),
      expect.objectContaining({ S: 'MSFT', i: 3 }),
    ];
    const aaplQuote = expect.objectContaining({ T: 'q', S: 'AAPL', bp: 10.5, ap: 10.51 });
    expect(a.socket.frames[0]).toEqual([expect.objectContaining({ S: 'AAPL', i: 2 }), ...msft, aaplQuote]);
    expect(b.socket.frames[0]).toEqual([...msft, aaplQuote]);
    expect(gateway.stats).toMatchObject({ framesSent: 2, messagesSent: 4 + 3, conflated: 1 });
  });
});
