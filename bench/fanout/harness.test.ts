/**
 * Checks the fan-out clients' cheap path against the slow, obvious one before trusting its figures:
 * frames from the real StreamGateway are scanned by FrameScanner and parsed with JSON.parse, and every
 * count, id sequence and emit time must agree; then RawWebSocket receives frames from a `ws` server of
 * every length class (7-, 16- and 64-bit), answers a ping, and must see every message once. Part of `npm test`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { MarketUpdate } from '../../server/market/live-market.js';
import { type GatewaySocket, StreamClient, StreamGateway } from '../../server/ws/stream-gateway.js';
import { SyntheticFeed } from './feed.js';
import { FrameScanner, ScanTarget } from './frame-scan.js';
import { subscriptions, universe } from './protocol.js';
import { RawWebSocket } from './raw-web-socket.js';

class CaptureSocket implements GatewaySocket {
  readonly bufferedAmount = 0;
  readonly frames: Buffer[] = [];
  send(data: Buffer): void {
    this.frames.push(data);
  }
  close(): void {}
}

interface Parsed {
  T: string;
  S?: string;
  i?: number;
  t?: string;
}

function checkScanner(): void {
  const symbols = universe(200);
  const plan = subscriptions(50, symbols, 10);
  const gateway = new StreamGateway();
  const clients = plan.map((syms) => {
    const socket = new CaptureSocket();
    const client = new StreamClient(socket, 'check');
    gateway.add(client);
    gateway.subscribe(client, 'trades', syms);
    gateway.subscribe(client, 'quotes', syms);
    gateway.sendTo(client, { T: 'subscription', trades: syms, quotes: syms, bars: [] });
    return { socket, syms };
  });
  const feed = new SyntheticFeed(symbols);
  const make = feed as unknown as {
    trade(t: number): Extract<MarketUpdate, { kind: 'trade' }>['trade'];
    quote(t: number): Extract<MarketUpdate, { kind: 'quote' }>['quote'];
  };
  const base = Date.UTC(2026, 10, 26, 20, 59, 59, 0);
  for (let batch = 0; batch < 400; batch += 1) {
    const updates: MarketUpdate[] = [];
    for (let i = 0; i < 50; i += 1)
      updates.push({ kind: 'trade', trade: make.trade(base + batch * 5 + (i % 5)) });
    for (let i = 0; i < 100; i += 1) updates.push({ kind: 'quote', quote: make.quote(base + batch * 5) });
    gateway.publish(updates);
    if (batch % 10 === 9) gateway.flush();
  }
  gateway.flush();

  const scanner = new FrameScanner(symbols);
  const now = base + 10_000;
  let trades = 0;
  let quotes = 0;
  let latencySum = 0;
  for (const { socket, syms } of clients) {
    const target = new ScanTarget(
      symbols.length,
      syms.map((s) => scanner.indexOf(s)),
    );
    const lastId = new Map<string, number>();
    for (const frame of socket.frames) {
      scanner.scan(target, frame, 0, frame.length, now);
      for (const message of JSON.parse(frame.toString()) as Parsed[]) {
        if (message.T === 't') {
          trades += 1;
          latencySum += now - Date.parse(message.t ?? '');
          assert.equal(message.i, (lastId.get(message.S ?? '') ?? 0) + 1);
          lastId.set(message.S ?? '', message.i ?? 0);
        } else if (message.T === 'q') quotes += 1;
      }
    }
    for (const s of syms) assert.equal(target.received[scanner.indexOf(s)], lastId.get(s) ?? 0, s);
  }
  assert.equal(scanner.trades, trades);
  assert.equal(scanner.quotes, quotes);
  assert.equal(scanner.sequenceBreaks, 0);
  assert.equal(scanner.malformed, 0);
  assert.ok(trades > 10_000 && quotes > 1_000);
  // The histogram's 1 ms bins hold exact integer latencies: their mean must match.
  const histogram = scanner.tradeLatency.summary();
  assert.equal(histogram.count, trades);
  assert.ok(histogram.max <= 12_000 && histogram.p50 >= 8_000, JSON.stringify(histogram));
  assert.ok(latencySum / trades > 8_000 && latencySum / trades < 12_000);

  // A malformed trade, and a trade of a symbol the client does not follow, are counted, not skipped.
  const target = new ScanTarget(symbols.length, [0]);
  const bad = Buffer.from(
    '[{"T":"t","S":"SYM000","i":x,"x":"V","p":1,"s":1,"c":[],"z":"C","t":"2026-11-26T20:59:59.000Z"},' +
      '{"T":"t","S":"SYM001","i":1,"x":"V","p":1,"s":1,"c":[],"z":"C","t":"2026-11-26T20:59:59.000Z"}]',
  );
  const before = scanner.malformed;
  scanner.scan(target, bad, 0, bad.length, now);
  assert.equal(scanner.malformed - before, 2);
}

async function checkSocket(): Promise<void> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const sizes = [1, 100, 125, 126, 1_000, 65_535, 65_536, 300_000, 3];
  const sent = sizes.map((n, k) => `[${'x'.repeat(Math.max(0, n - String(k).length - 2))}${k}]`);
  let pong = false;
  wss.on('connection', (socket) => {
    socket.on('pong', () => {
      pong = true;
      for (const text of sent) socket.send(text);
    });
    socket.on('message', (data) => {
      assert.equal(String(data), 'hello');
      socket.ping(Buffer.from('p'));
    });
  });
  const received: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const client = new RawWebSocket(
      `ws://127.0.0.1:${port}/`,
      {
        onText(buf, start, end) {
          received.push(buf.toString('latin1', start, end));
          if (received.length === sent.length) {
            client.terminate();
            resolve();
          }
        },
        onClose: (reason) => reject(new Error(reason)),
      },
      () => client.sendText('hello'),
      reject,
    );
  });
  wss.close();
  assert.ok(pong);
  assert.deepEqual(received, sent);
}

describe('fan-out bench harness', () => {
  it("scans the gateway's real frames exactly as JSON.parse reads them", () => checkScanner());
  it('receives ws frames of every length class, answers a ping and sees every message once', () =>
    checkSocket());
});
