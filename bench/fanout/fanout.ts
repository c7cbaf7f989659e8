/**
 * Fan-out benchmark (issue "Market data", Benchmarks): N WebSocket clients on loopback, each subscribed
 * to trades and quotes of 10 of 200 symbols, while a synthetic feed steps through trade rates (quotes at
 * 2×). Measures Pulse's gateway and, in the same run, bare `ws` baselines. Prints one JSON document.
 *
 *   npx tsx bench/fanout/fanout.ts            # full: 1,000 clients, 30 s per step
 *   npx tsx bench/fanout/fanout.ts --quick    # smoke: 200 clients, 5 s per step
 *   options: --seconds N  --clients N  --rates 1000,2000  --servers pulse,per-message,coalesce-50ms
 *            --quote-ratio 2  --all-steps (keep stepping after a failed step)
 *            --priority -5 (nice value of the server and client processes, on a shared machine)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ClientCommand,
  type ClientReport,
  SERVER_KINDS,
  type ServerCommand,
  type ServerKind,
  type ServerReport,
  type ServerSample,
} from './protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** The criterion every server is judged by, Pulse and baselines alike. */
export const CRITERION = {
  p99LatencyMs: 100,
  text: 'p99 feed-emit→client-receive latency of trades ≤ 100 ms, no growing backlog, every subscribed trade delivered in sequence, nothing malformed, no resync',
};

export interface FanoutOptions {
  clients: number;
  symbols: number;
  perClient: number;
  seconds: number;
  rates: number[];
  quoteRatio: number;
  servers: ServerKind[];
  allSteps: boolean;
  /** Nice value for the server and client processes (negative needs root); 0 leaves it alone. */
  priority: number;
}

export function parseOptions(argv: readonly string[]): FanoutOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    clients: Number(value('clients') ?? (quick ? 200 : 1000)),
    symbols: Number(value('symbols') ?? 200),
    perClient: Number(value('per-client') ?? 10),
    seconds: Number(value('seconds') ?? (quick ? 5 : 30)),
    rates: (value('rates') ?? '1000,2000,5000,10000,20000').split(',').map(Number),
    quoteRatio: Number(value('quote-ratio') ?? 2),
    servers: (value('servers')?.split(',') as ServerKind[] | undefined) ?? [...SERVER_KINDS],
    allSteps: argv.includes('--all-steps'),
    priority: Number(value('priority') ?? 0),
  };
}

/** A child process speaking the benchmark's IPC protocol. */
class Child<Command, Report extends { type: string }> {
  private readonly waiting: Report[] = [];
  private readonly waiters: ((report: Report) => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly process: ChildProcess) {
    process.on('message', (report: Report) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(report);
      else this.waiting.push(report);
    });
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  send(command: Command): void {
    this.process.send(command as object);
  }

  /** The next report, which must be of `type`; rejects after `timeoutMs` or if the child exits. */
  async next<T extends Report['type']>(type: T, timeoutMs: number): Promise<Extract<Report, { type: T }>> {
    const queued = this.waiting.shift();
    const report = await (queued
      ? Promise.resolve(queued)
      : new Promise<Report>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no '${type}' within ${timeoutMs} ms`)), timeoutMs);
          this.waiters.push((r) => {
            clearTimeout(timer);
            resolve(r);
          });
          void this.exited.then((code) =>
            reject(new Error(`child exited (${code}) while waiting for '${type}'`)),
          );
        }));
    if (report.type !== type) throw new Error(`expected '${type}', got '${report.type}'`);
    return report as Extract<Report, { type: T }>;
  }

  kill(): void {
    if (this.process.exitCode === null) this.process.kill('SIGKILL');
  }
}

function spawn<Command, Report extends { type: string }>(
  file: string,
  args: string[],
  priority: number,
): Child<Command, Report> {
  // The children's stdout goes to our stderr: stdout carries only the JSON result.
  const child = fork(path.join(here, file), args, {
    cwd: root,
    execArgv: [
      '--import',
      'tsx',
      '--max-old-space-size=8192',
      ...(process.env.FANOUT_PROFILE_DIR && file === 'server.ts'
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FANOUT_PROFILE_DIR}`]
        : []),
    ],
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  if (priority !== 0 && child.pid !== undefined) os.setPriority(child.pid, priority);
  return new Child<Command, Report>(child);
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Growing backlog: over the step, the backlog at the end exceeds that of the second quarter by more
 * than 8 MiB and by half. (A healthy gateway's backlog is a saw-tooth bounded by one flush's worth.)
 */
export function backlogTrend(samples: readonly ServerSample[]) {
  const b = samples.map((s) => s.backlogBytes);
  const n = b.length;
  const early = mean(b.slice(Math.floor(n / 4), Math.max(Math.floor(n / 2), Math.floor(n / 4) + 1)));
  const late = mean(b.slice(Math.max(0, n - 3)));
  const growing = n > 0 && late - early > Math.max(8 * 2 ** 20, 0.5 * early);
  return {
    earlyMiB: +(early / 2 ** 20).toFixed(2),
    lateMiB: +(late / 2 ** 20).toFixed(2),
    maxMiB: +(Math.max(0, ...b) / 2 ** 20).toFixed(2),
    maxBufferedMiB: +(Math.max(0, ...samples.map((s) => s.bufferedBytes)) / 2 ** 20).toFixed(2),
    maxQueuedMessages: Math.max(0, ...samples.map((s) => s.queuedMessages)),
    growing,
  };
}

async function runServer(kind: ServerKind, options: FanoutOptions) {
  const server = spawn<ServerCommand, ServerReport>(
    'server.ts',
    ['--kind', kind, '--symbols', String(options.symbols)],
    options.priority,
  );
  let clients: Child<ClientCommand, ClientReport> | undefined;
  const steps: unknown[] = [];
  let held = 0;
  try {
    const { port, path: route } = await server.next('listening', 60_000);
    clients = spawn<ClientCommand, ClientReport>(
      'clients.ts',
      [
        '--url',
        `ws://127.0.0.1:${port}${route}`,
        '--clients',
        String(options.clients),
        '--symbols',
        String(options.symbols),
        '--per-client',
        String(options.perClient),
      ],
      options.priority,
    );
    const ready = await clients.next('ready', 120_000);
    process.stderr.write(`[fanout] ${kind}: ${ready.clients} clients connected in ${ready.connectMs} ms\n`);
    const subscribersPerSymbol = (options.clients * options.perClient) / options.symbols;
    for (const rate of options.rates) {
      const quoteRate = rate * options.quoteRatio;
      clients.send({ type: 'reset' });
      await clients.next('reset', 10_000);
      server.send({
        type: 'step',
        tradesPerSecond: rate,
        quotesPerSecond: quoteRate,
        seconds: options.seconds,
      });
      const fed = await server.next('feedStopped', options.seconds * 1000 + 60_000);
      clients.send({ type: 'mark' });
      const marked = await clients.next('marked', 30_000);
      server.send({ type: 'drain', timeoutMs: 15_000 });
      const drained = await server.next('drained', 60_000);
      clients.send({
        type: 'collect',
        emittedBySymbol: fed.emittedBySymbol,
        timeoutMs: drained.drained ? 5_000 : 0,
      });
      const got = await clients.next('collected', 60_000);
      const secs = fed.elapsedSeconds;
      const backlog = backlogTrend(fed.samples);
      const resyncs = Math.max(got.counters.resyncs, fed.gateway?.resyncs ?? 0);
      const why: string[] = [];
      if (got.tradeLatency.p99 > CRITERION.p99LatencyMs)
        why.push(`p99 ${got.tradeLatency.p99} ms > ${CRITERION.p99LatencyMs} ms`);
      if (backlog.growing) why.push(`backlog grew ${backlog.earlyMiB} → ${backlog.lateMiB} MiB`);
      if (fed.aborted) why.push(`aborted: ${fed.aborted}`);
      if (!drained.drained) why.push(`backlog not drained 15 s after the feed stopped`);
      if (got.missingTrades > 0) why.push(`${got.missingTrades} subscribed trades not delivered`);
      if (got.sequenceBreaks > 0) why.push(`${got.sequenceBreaks} trade id sequence breaks`);
      if (got.malformed > 0) why.push(`${got.malformed} malformed or unsubscribed messages`);
      if (resyncs > 0) why.push(`${resyncs} resyncs`);
      if (got.closedClients > 0) why.push(`${got.closedClients} clients disconnected`);
      const ok = why.length === 0;
      const result = {
        tradesPerSecond: rate,
        quotesPerSecond: quoteRate,
        seconds: +secs.toFixed(1),
        held: ok,
        why,
        delivered: {
          messagesPerSecond: Math.round(marked.counters.messages / secs),
          framesPerSecond: Math.round(marked.counters.frames / secs),
          tradesPerSecond: Math.round(marked.counters.trades / secs),
          quotesPerSecond: Math.round(marked.counters.quotes / secs),
          expectedTradesPerSecond: Math.round(rate * subscribersPerSymbol),
        },
        latencyMs: {
          trade: got.tradeLatency,
          quote: got.quoteLatency,
        },
        server: {
          cpuCores: +fed.cpu.toFixed(2),
          gcCores: +fed.gcFraction.toFixed(3),
          peakRssMiB: fed.peakRssMiB,
          endRssMiB: fed.samples.at(-1)?.rssMiB ?? null,
          maxLoopDelayP99Ms: Math.max(0, ...fed.samples.map((s) => s.loopDelayP99Ms)),
          backlog,
          drainMs: drained.drainMs,
          gateway: fed.gateway,
        },
        clientsCpuCores: +marked.cpu.toFixed(2),
        clientsCpuNsPerMessage:
          marked.counters.messages > 0
            ? Math.round((marked.cpuMicros * 1000) / marked.counters.messages)
            : null,
        machineCpuPressureAvg10: cpuPressure()?.avg10 ?? null,
        delivery: {
          tradesEmitted: fed.tradesEmitted,
          quotesEmitted: fed.quotesEmitted,
          missingTrades: got.missingTrades,
          clientsShort: got.clientsShort,
          sequenceBreaks: got.sequenceBreaks,
          malformed: got.malformed,
          resyncs,
        },
        samples: fed.samples,
      };
      steps.push(result);
      process.stderr.write(
        `[fanout] ${kind} ${rate}/s: ${ok ? 'held' : 'FAILED'} p50/p99 ${got.tradeLatency.p50}/${got.tradeLatency.p99} ms, ` +
          `${result.delivered.messagesPerSecond} msg/s, ${result.delivered.framesPerSecond} frames/s, cpu ${result.server.cpuCores} (gc ${result.server.gcCores}), ` +
          `rss ${fed.peakRssMiB} MiB, clients cpu ${result.clientsCpuCores} (${result.clientsCpuNsPerMessage} ns/msg)${ok ? '' : ` (${why.join('; ')})`}\n`,
      );
      if (ok) held = Math.max(held, rate);
      // A backlog left over would spill into the next step: stop stepping this server either way.
      else if (!options.allSteps || !drained.drained) break;
    }
    return { highestRateHeld: held, steps };
  } catch (error) {
    return { highestRateHeld: held, steps, error: String(error) };
  } finally {
    clients?.send({ type: 'exit' });
    server.send({ type: 'exit' });
    const stop = setTimeout(() => {
      clients?.kill();
      server.kill();
    }, 5_000);
    await Promise.all([clients?.exited, server.exited]);
    clearTimeout(stop);
  }
}

/** Linux CPU pressure (PSI): % of time some runnable task waited for a CPU, 10 s and 300 s averages. */
export function cpuPressure(): { avg10: number; avg300: number } | null {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '';
    const field = (name: string) => Number(new RegExp(`${name}=([\\d.]+)`).exec(line)?.[1] ?? NaN);
    return { avg10: field('avg10'), avg300: field('avg300') };
  } catch {
    return null;
  }
}

export async function runFanout(options: FanoutOptions) {
  const loadavgBefore = os.loadavg().map((x) => +x.toFixed(2));
  const pressureBefore = cpuPressure();
  const servers: Record<string, unknown> = {};
  const highest: Record<string, number> = {};
  for (const kind of options.servers) {
    const result = await runServer(kind, options);
    servers[kind] = result;
    highest[kind] = result.highestRateHeld;
  }
  return {
    benchmark: 'fanout',
    config: { ...options, subscribersPerSymbol: (options.clients * options.perClient) / options.symbols },
    machine: {
      cpus: os.cpus().length,
      loadavgBefore,
      loadavgAfter: os.loadavg().map((x) => +x.toFixed(2)),
      cpuPressureBefore: pressureBefore,
      cpuPressureAfter: cpuPressure(),
    },
    criterion: CRITERION.text,
    highestTradesPerSecondHeld: highest,
    servers,
    notes: [
      'pulse: the synthetic feed → LiveMarket → StreamGateway (default limits) behind Fastify + @fastify/websocket + streamRoutes, flushed every 50 ms as buildApp does; a stub caller replaces session lookup.',
      'per-message: bare ws server, each message its own frame; coalesce-50ms: bare ws server, one JSON-array frame per client per 50 ms, no conflation, no bounds.',
      'Latency: client receive time minus the time the trade was due from the feed (stamped in t), same machine clock, 1 ms resolution.',
      'delivered rates count what the clients received while the feed ran; the server and the clients each run in their own process on a 2-core machine, so clientsCpuCores shows how much of the machine the clients took.',
      'clients: bare RFC 6455 sockets whose frames are scanned in place (no JSON.parse); every message is timed and every trade id checked (bench/fanout/harness-check.ts compares the scanner with JSON.parse).',
    ],
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runFanout(parseOptions(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
