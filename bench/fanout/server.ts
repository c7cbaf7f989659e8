/**
 * The server side of the fan-out benchmark, run as its own process (so it never shares an event loop
 * with the clients). `--kind pulse` is Pulse's real streaming path: the synthetic feed → LiveMarket
 * (1Min bar aggregation, as in production) → StreamGateway, behind Fastify + @fastify/websocket and
 * `streamRoutes`, flushed every 50 ms exactly as `buildApp` wires it. The baselines are bare `ws`
 * servers fed by the same feed with the same serialised messages (server/ws/messages.ts).
 * Talks to the orchestrator over IPC only; never writes stdout.
 */
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FeedEvent } from '../../core/market-data/index.js';
import type { Caller } from '../../server/http/auth/session.plugin.js';
import { LiveMarket } from '../../server/market/live-market.js';
import { quoteMessage, tradeMessage } from '../../server/ws/messages.js';
import { type StreamClient, StreamGateway } from '../../server/ws/stream-gateway.js';
import { streamRoutes } from '../../server/ws/stream.routes.js';
import { SyntheticFeed } from './feed.js';
import {
  type ServerCommand,
  type ServerKind,
  type ServerReport,
  type ServerSample,
  universe,
} from './protocol.js';

const FLUSH_MS = 50;
/** A step stops early once the backlog passes this (a baseline with no bound would eat all memory). */
const ABORT_BACKLOG_BYTES = 1024 * 1024 * 1024;
const ABORT_RSS_MIB = 6 * 1024;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function report(message: ServerReport): void {
  process.send?.(message);
}

/** What every server kind exposes to the step loop. */
interface Fanout {
  port: number;
  path: string;
  /** Gateway queues + socket buffers, now. */
  backlog(): { queuedMessages: number; bufferedBytes: number; resyncs: number };
  gatewayStats(): { framesSent: number; messagesSent: number; conflated: number; resyncs: number } | null;
}

/** The gateway as buildApp makes it, plus a list of its clients so the backlog can be read. */
class ObservedGateway extends StreamGateway {
  readonly tracked = new Set<StreamClient>();
  override add(client: StreamClient): void {
    super.add(client);
    this.tracked.add(client);
  }
  override remove(client: StreamClient): void {
    super.remove(client);
    this.tracked.delete(client);
  }
}

async function startPulse(feed: SyntheticFeed, symbols: ReadonlySet<string>): Promise<Fanout> {
  const live = new LiveMarket(feed, () => Date.now());
  const gateway = new ObservedGateway();
  live.subscribe((updates) => gateway.publish(updates));
  setInterval(() => gateway.flush(), FLUSH_MS);
  await live.start();

  const app = Fastify({ logger: false });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // One signed-in caller for every connection: authentication is per upgrade, not per message, so a
  // stub session keeps the database out of a fan-out measurement.
  const caller = { user: { id: 'bench-user' }, session: {} } as unknown as Caller;
  app.decorateRequest('caller', async () => caller);
  await app.register(streamRoutes, {
    gateway,
    source: () => live.source,
    isKnownSymbol: (symbol) => symbols.has(symbol),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    port: Number(new URL(address).port),
    path: '/api/v1/stream',
    backlog() {
      let queuedMessages = 0;
      let bufferedBytes = 0;
      let resyncs = 0;
      for (const client of gateway.tracked) {
        queuedMessages += client.queue.length + client.latest.size;
        bufferedBytes += client.socket.bufferedAmount;
        resyncs += client.resyncs;
      }
      return { queuedMessages, bufferedBytes, resyncs };
    },
    gatewayStats: () => ({ ...gateway.stats }),
  };
}

interface BareClient {
  socket: WebSocket;
  queue: string[];
}

/** A bare `ws` server: every message its own frame, or (coalesce) one array frame per client per 50 ms. */
async function startBare(feed: SyntheticFeed, coalesce: boolean): Promise<Fanout> {
  const clients = new Set<BareClient>();
  const trades = new Map<string, Set<BareClient>>();
  const quotes = new Map<string, Set<BareClient>>();
  const dirty = new Set<BareClient>();
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
  });
  wss.on('connection', (socket) => {
    const client: BareClient = { socket, queue: [] };
    clients.add(client);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { trades?: string[]; quotes?: string[] };
      for (const [list, index] of [
        [message.trades ?? [], trades],
        [message.quotes ?? [], quotes],
      ] as const) {
        for (const symbol of list) {
          let set = index.get(symbol);
          if (!set) index.set(symbol, (set = new Set()));
          set.add(client);
        }
      }
      socket.send(
        JSON.stringify([{ T: 'subscription', trades: message.trades, quotes: message.quotes, bars: [] }]),
      );
    });
    socket.on('close', () => {
      clients.delete(client);
      dirty.delete(client);
      for (const set of [...trades.values(), ...quotes.values()]) set.delete(client);
    });
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const send = (subscribers: Set<BareClient> | undefined, json: string) => {
    if (!subscribers) return;
    for (const client of subscribers) {
      if (coalesce) {
        client.queue.push(json);
        dirty.add(client);
      } else client.socket.send(json);
    }
  };
  await feed.start({
    onEvents(events: readonly FeedEvent[]) {
      for (const event of events) {
        if (event.kind === 'trade')
          send(trades.get(event.trade.symbol), JSON.stringify(tradeMessage(event.trade)));
        else send(quotes.get(event.quote.symbol), JSON.stringify(quoteMessage(event.quote)));
      }
    },
  });
  if (coalesce) {
    setInterval(() => {
      for (const client of dirty) {
        client.socket.send(`[${client.queue.join(',')}]`);
        client.queue = [];
      }
      dirty.clear();
    }, FLUSH_MS);
  }
  const address = wss.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    path: '/',
    backlog() {
      let queuedMessages = 0;
      let bufferedBytes = 0;
      for (const client of clients) {
        queuedMessages += client.queue.length;
        bufferedBytes += client.socket.bufferedAmount;
      }
      return { queuedMessages, bufferedBytes, resyncs: 0 };
    },
    gatewayStats: () => null,
  };
}

async function main(): Promise<void> {
  const kind = arg('kind', 'pulse') as ServerKind;
  const symbols = universe(Number(arg('symbols', '200')));
  const feed = new SyntheticFeed(symbols);
  const fanout =
    kind === 'pulse'
      ? await startPulse(feed, new Set(symbols))
      : await startBare(feed, kind === 'coalesce-50ms');
  // The mean serialised trade/quote, to turn queued message counts into bytes.
  const meanMessageBytes = 170;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  // Time spent in garbage collection (pauses of the main thread), summed per step.
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });

  const backlogBytes = () => {
    const b = fanout.backlog();
    return { ...b, backlogBytes: b.queuedMessages * meanMessageBytes + b.bufferedBytes };
  };

  async function step(command: Extract<ServerCommand, { type: 'step' }>): Promise<void> {
    const samples: ServerSample[] = [];
    const statsBefore = fanout.gatewayStats();
    const tradesBefore = feed.tradesEmitted;
    const quotesBefore = feed.quotesEmitted;
    const resyncsBefore = fanout.backlog().resyncs;
    const started = Date.now();
    const cpuStart = process.cpuUsage();
    let cpuMark = process.cpuUsage();
    let mark = Date.now();
    let peakRss = 0;
    let aborted: string | null = null;
    const gcBefore = gcMs;
    loop.reset();
    feed.run(command.tradesPerSecond, command.quotesPerSecond);
    await new Promise<void>((resolve) => {
      const sampler = setInterval(() => {
        const now = Date.now();
        const cpu = process.cpuUsage(cpuMark);
        cpuMark = process.cpuUsage();
        const rssMiB = process.memoryUsage.rss() / 2 ** 20;
        peakRss = Math.max(peakRss, rssMiB);
        const b = backlogBytes();
        samples.push({
          at: (now - started) / 1000,
          cpu: (cpu.user + cpu.system) / 1000 / (now - mark),
          rssMiB: Math.round(rssMiB),
          queuedMessages: b.queuedMessages,
          bufferedBytes: b.bufferedBytes,
          backlogBytes: b.backlogBytes,
          resyncs: b.resyncs - resyncsBefore,
          loopDelayP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
        });
        loop.reset();
        mark = now;
        if (b.backlogBytes > ABORT_BACKLOG_BYTES)
          aborted = `backlog passed ${ABORT_BACKLOG_BYTES / 2 ** 20} MiB`;
        else if (rssMiB > ABORT_RSS_MIB) aborted = `RSS passed ${ABORT_RSS_MIB} MiB`;
        if (aborted !== null || now - started >= command.seconds * 1000) {
          clearInterval(sampler);
          resolve();
        }
      }, 1000);
    });
    feed.halt();
    const elapsed = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const statsAfter = fanout.gatewayStats();
    report({
      type: 'feedStopped',
      elapsedSeconds: elapsed,
      aborted,
      samples,
      cpu: (cpu.user + cpu.system) / 1e6 / elapsed,
      gcFraction: (gcMs - gcBefore) / 1000 / elapsed,
      peakRssMiB: Math.round(peakRss),
      tradesEmitted: feed.tradesEmitted - tradesBefore,
      quotesEmitted: feed.quotesEmitted - quotesBefore,
      emittedBySymbol: feed.emittedBySymbol(),
      gateway:
        statsBefore && statsAfter
          ? {
              framesSent: statsAfter.framesSent - statsBefore.framesSent,
              messagesSent: statsAfter.messagesSent - statsBefore.messagesSent,
              conflated: statsAfter.conflated - statsBefore.conflated,
              resyncs: statsAfter.resyncs - statsBefore.resyncs,
            }
          : null,
    });
  }

  async function drain(timeoutMs: number): Promise<void> {
    const started = Date.now();
    let b = backlogBytes();
    while (b.backlogBytes > 0 && Date.now() - started < timeoutMs) {
      await new Promise((r) => setTimeout(r, 50));
      b = backlogBytes();
    }
    report({
      type: 'drained',
      drained: b.backlogBytes === 0,
      drainMs: Date.now() - started,
      backlogBytes: b.backlogBytes,
    });
  }

  process.on('message', (command: ServerCommand) => {
    if (command.type === 'step') void step(command);
    else if (command.type === 'drain') void drain(command.timeoutMs);
    else process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
  report({ type: 'listening', port: fanout.port, path: fanout.path });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
