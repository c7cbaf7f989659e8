/**
 * CPU cost of StreamGateway alone (no sockets, no event-loop contention): one simulated second of the
 * fan-out workload per rate, published in 5 ms batches and flushed every 50 ms into sockets that only
 * count bytes. Thread CPU time, so a busy shared machine inflates it far less than wall-clock latency.
 *
 *   npx tsx bench/fanout/gateway-cpu.ts [--clients 1000] [--seconds 3]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarketUpdate } from '../../server/market/live-market.js';
import { type GatewaySocket, StreamClient, StreamGateway } from '../../server/ws/stream-gateway.js';
import { SyntheticFeed } from './feed.js';
import { subscriptions, universe } from './protocol.js';

class CountingSocket implements GatewaySocket {
  readonly bufferedAmount = 0;
  bytes = 0;
  frames = 0;
  send(data: Buffer): void {
    this.bytes += data.length;
    this.frames += 1;
  }
  close(): void {}
}

export function gatewayCpu(clients: number, seconds: number, rates: readonly number[]) {
  const symbols = universe(200);
  const plan = subscriptions(clients, symbols, 10);
  return rates.map((rate) => {
    const gateway = new StreamGateway();
    const sockets = plan.map((syms) => {
      const socket = new CountingSocket();
      const client = new StreamClient(socket, 'bench');
      gateway.add(client);
      gateway.subscribe(client, 'trades', syms);
      gateway.subscribe(client, 'quotes', syms);
      return socket;
    });
    const feed = new SyntheticFeed(symbols);
    // Collect the updates of `seconds` of feed up front, so only the gateway is timed.
    const batches: MarketUpdate[][] = [];
    const perBatch = (rate * 5) / 1000;
    for (let b = 0; b < (seconds * 1000) / 5; b += 1) {
      const batch: MarketUpdate[] = [];
      batches.push(batch);
      for (let i = 0; i < perBatch; i += 1) batch.push({ kind: 'trade', trade: syntheticTrade(feed, b * 5) });
      for (let i = 0; i < 2 * perBatch; i += 1)
        batch.push({ kind: 'quote', quote: syntheticQuote(feed, b * 5) });
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    batches.forEach((batch, i) => {
      gateway.publish(batch);
      if (i % 10 === 9) gateway.flush();
    });
    gateway.flush();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const frames = sockets.reduce((a, s) => a + s.frames, 0);
    const bytes = sockets.reduce((a, s) => a + s.bytes, 0);
    return {
      tradesPerSecond: rate,
      quotesPerSecond: 2 * rate,
      cpuCoresNeeded: +((cpu.user + cpu.system) / 1000 / (seconds * 1000)).toFixed(3),
      wallMsPerSecondOfFeed: +(wallMs / seconds).toFixed(1),
      framesPerSecond: Math.round(frames / seconds),
      messagesPerSecond: Math.round(gateway.stats.messagesSent / seconds),
      megabytesPerSecond: +(bytes / seconds / 2 ** 20).toFixed(1),
    };
  });
}

// The feed's own generators, reached without a timer.
function syntheticTrade(feed: SyntheticFeed, t: number) {
  return (feed as unknown as { trade(t: number): Extract<MarketUpdate, { kind: 'trade' }>['trade'] }).trade(
    t,
  );
}
function syntheticQuote(feed: SyntheticFeed, t: number) {
  return (feed as unknown as { quote(t: number): Extract<MarketUpdate, { kind: 'quote' }>['quote'] }).quote(
    t,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const value = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const clients = Number(value('clients') ?? 1000);
  const seconds = Number(value('seconds') ?? (process.argv.includes('--quick') ? 1 : 3));
  const steps = gatewayCpu(clients, seconds, [1000, 2000, 5000, 10000, 20000]);
  process.stdout.write(`${JSON.stringify({ benchmark: 'gateway-cpu', clients, seconds, steps }, null, 2)}\n`);
}
