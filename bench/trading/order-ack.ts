/**
 * Order → acknowledgement benchmark (issue "Trading and portfolio", Benchmarks): p50/p99 latency of
 * POST /api/v1/orders at a fixed 200 orders/s, on PGlite and on PostgreSQL (127.0.0.1:5432, a fresh
 * database each). PGlite runs on disk in a temporary DATA_DIR, as `npm start` runs it (not in memory).
 * The app is the real one (createTestApp with paper trading: the stores, TradingService, audit log and
 * routes production wires), listening on loopback; one trader calls it with an API token
 * as Bearer, like a bot. The load generator runs in its own process (load-client.ts), open loop: request
 * i is due at start + i/rate whatever happened to the earlier ones. Most orders are buy limits ~10 % under
 * the bid (they rest, so the matching engine is not the bottleneck), every 10th a market buy that fills.
 * A 200 is sent only once the order is committed, so the figure includes durability.
 *
 * Beside the client's figures, each phase reports what the server saw (`server`): the time from Node
 * parsing a request's head to handing its response to the socket, the event loop's delay and the GC
 * pauses. Client minus server is time spent waiting to be read; on a two-core machine that is mostly the
 * scheduler sharing the cores between the server, the load client and the database.
 *
 * Baselines in the same run, same rate and connections: GET /api/v1/account on the same server (authenticated
 * the same way), i.e. the HTTP + auth floor; and before any engine, a bare `node:http` server in this process
 * answering a constant body (`bareNodeFloor`): what the machine, the scheduler and the load client cost before
 * any Pulse code runs. Its p99 bounds how low any server's p99 can be measured here.
 *
 * The market moves in real time (the sim clock follows the wall clock), so quotes and trades reach the
 * account while orders arrive, as in production.
 *
 *   npx tsx bench/trading/order-ack.ts            # 10 s per phase
 *   npx tsx bench/trading/order-ack.ts --quick    # 4 s per phase
 *   options: --seconds N --rate 200 --connections 4 --engines pglite,postgres --marketable-every 10
 *            --pin            the server (this process, PGlite in it) on core 0, the load client on core 1 (taskset),
 *                             as when clients are elsewhere: the client no longer waits for the server's core, nor it
 *                             for the client's (PostgreSQL's own processes are left to the scheduler)
 *            --cpu-prof DIR   writes DIR/order-ack-<engine>.cpuprofile of the measured orders phase only
 *            --heap-prof DIR  writes DIR/order-ack-<engine>.heapprofile of the same phase: V8's sampling heap
 *                             profile of what outlived a young-generation collection (what each scavenge
 *                             copies, and so what its pause costs), by allocation site; run node with
 *                             --expose-gc so the young generation's garbage is dropped before it is written
 *            --alloc-prof DIR writes DIR/order-ack-<engine>.allocprofile: every allocation of that phase, by site
 *                             (what fills the young generation, and so how often it is collected)
 *                             (not with --heap-prof: V8 keeps one sampling heap profiler, so one at a time)
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import http, { type Server } from 'node:http';
import { PerformanceObserver, constants as perfConstants, monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { freshPgliteOnDisk, freshPostgres, type TestDatabase } from '../../server/testing/databases.js';
import { mintToken, setupOwner } from '../../server/testing/accounts.js';
import { createTestApp } from '../../server/testing/test-app.js';
import type { LoadJob, LoadResult, PricedSymbol } from './load-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Low-priced symbols, so thousands of resting one-share limits fit in the account's buying power.
const SYMBOLS = ['INTC', 'T', 'VZ', 'BAC', 'PFE'];

type Engine = 'pglite' | 'postgres';

export interface OrderAckOptions {
  seconds: number;
  warmupSeconds: number;
  rate: number;
  connections: number;
  marketableEvery: number;
  engines: Engine[];
  /** A folder for a CPU profile of the server during each engine's measured orders phase. */
  /** The server (this process, every thread) on core 0 and each load client on core 1, with taskset. */
  pin: boolean;
  cpuProfileDir?: string | undefined;
  /** A folder for a sampling heap profile of the same phase, of the allocations that survived a scavenge. */
  heapProfileDir?: string | undefined;
  /** A folder for a sampling heap profile of the same phase, of every allocation. */
  allocProfileDir?: string | undefined;
}

export function parseOptions(argv: readonly string[]): OrderAckOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  // V8 runs one sampling heap profiler per isolate: the inner profile would end the outer one's sampling.
  if (value('heap-prof') !== undefined && value('alloc-prof') !== undefined)
    throw new Error(
      '--heap-prof and --alloc-prof cannot run together (V8 keeps one sampling heap profiler); run them one at a time',
    );
  return {
    seconds: Number(value('seconds') ?? (quick ? 4 : 10)),
    warmupSeconds: Number(value('warmup') ?? (quick ? 1 : 2)),
    rate: Number(value('rate') ?? 200),
    connections: Number(value('connections') ?? 4),
    marketableEvery: Number(value('marketable-every') ?? 10),
    engines: (value('engines')?.split(',') as OrderAckOptions['engines'] | undefined) ?? [
      'pglite',
      'postgres',
    ],
    pin: argv.includes('--pin'),
    cpuProfileDir: value('cpu-prof'),
    heapProfileDir: value('heap-prof'),
    allocProfileDir: value('alloc-prof'),
  };
}

/** Profiles this process (the server) while `work` runs, when a folder is given. */
async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * Samples this process's allocations while `work` runs, when a folder is given: only those that outlived a
 * young-generation collection (the ones a scavenge copies or promotes; objects a later full collection freed stay
 * in the profile, as medium-lived garbage is what makes scavenges slow), or with `all` every one of them.
 */
async function heapProfiled<T>(file: string | undefined, work: () => Promise<T>, all = false): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4_096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: all,
  });
  try {
    return await work();
  } finally {
    // Objects allocated since the last scavenge are still in the profile, dead or not: a scavenge first drops the
    // dead ones (needs --expose-gc; without it, up to one young generation of garbage is counted as surviving).
    const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
    gc?.({ type: 'minor' });
    const { profile } = await session.post('HeapProfiler.stopSampling');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function summary(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

/**
 * What the server itself saw during a phase: each request's time from the moment Node parsed its head to
 * the moment the response was handed to the socket, and how late the event loop ran its timers. The gap
 * between these and the client's figures is time the request waited to be read (a busy loop, or the
 * scheduler giving both cores to someone else).
 */
function serverSide(server: Server) {
  const handled: number[] = [];
  const onRequest = (_req: unknown, res: NodeJS.EventEmitter) => {
    const start = performance.now();
    res.once('finish', () => handled.push(performance.now() - start));
  };
  server.prependListener('request', onRequest);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const gcPauses: number[] = [];
  const gcKinds = { minor: 0, major: 0, incremental: 0, weakCallbacks: 0 };
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.push(entry.duration);
      // A GC entry's detail is { kind, flags } (Node's typings do not name it on every entry type).
      const { detail } = entry as { detail?: { kind?: number } };
      const kind = detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) gcKinds.minor += 1;
      else if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gcKinds.major += 1;
      else if (kind === perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL) gcKinds.incremental += 1;
      else gcKinds.weakCallbacks += 1;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      loop.disable();
      gc.disconnect();
      server.off('request', onRequest);
      const ms = (ns: number) => Math.round(ns / 10_000) / 100;
      return {
        handled: summary(handled),
        eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
        gcPauses: {
          ...summary(gcPauses),
          totalMs: Math.round(gcPauses.reduce((a, b) => a + b, 0)),
          kinds: gcKinds,
        },
      };
    },
  };
}

/** Runs one phase in a fresh client process. */
function load(job: LoadJob, pin: boolean): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Pinned, the client runs as `taskset -c 1 node …` (taskset execs node, which keeps the IPC channel).
    const child: ChildProcess = fork(path.join(here, 'load-client.ts'), [], {
      ...(pin && { execPath: 'taskset' }),
      execArgv: [...(pin ? ['-c', '1', process.execPath] : []), '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (job.seconds + 60) * 1000);
    child.once('message', (result) => {
      clearTimeout(timer);
      resolve(result as LoadResult);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`load client exited with ${code}`));
    });
    child.send(job);
  });
}

function cpuMsSince(since: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1000;
}

function report(result: LoadResult, seconds: number) {
  const perSecond = Math.max(1, Math.round(result.fromDue.length / seconds));
  return {
    sent: result.sent,
    completed: result.completed,
    achievedPerSecond: Math.round((result.completed / seconds) * 10) / 10,
    statuses: result.statuses,
    latencyFromDue: summary(result.fromDue),
    // Where the tail sits in time: a slow start (JIT, caches) or stalls spread through the run.
    latencyFromDueP99BySecond: Array.from(
      { length: Math.ceil(result.fromDue.length / perSecond) },
      (_, s) => summary(result.fromDue.slice(s * perSecond, (s + 1) * perSecond)).p99Ms,
    ),
    latencyFromSent: summary(result.fromSent),
    ...(result.marketable.some(Boolean) && {
      // The resting limits answer once stored; the market buys once stored and filled (a second commit).
      latencyFromDueByKind: {
        resting: summary(result.fromDue.filter((_, i) => !result.marketable[i])),
        marketable: summary(result.fromDue.filter((_, i) => result.marketable[i])),
      },
    }),
    clientSendLagP99Ms: result.sendLagP99Ms,
    ...(result.firstErrors.length > 0 && { firstErrors: result.firstErrors }),
  };
}

async function runEngine(engine: Engine, database: TestDatabase, options: OrderAckOptions) {
  // Production's cadence: the sim feed steps every 250 ms and the accounts every second (tests step faster).
  const t = await createTestApp(
    { rateLimit: 'off' },
    { database, trading: true, cadence: { feedTickMs: 250, tradingTickMs: 1_000 } },
  );
  // The sim market follows the wall clock from the test session minute (10:30 ET): quotes keep coming.
  await t.live.start();
  const startedWall = Date.now();
  let advanced = 0;
  const follow = setInterval(() => {
    const target = Date.now() - startedWall;
    t.clock.advance(target - advanced);
    advanced = target;
  }, 20);
  try {
    await new Promise((r) => setTimeout(r, 500));
    const owner = await setupOwner(t);
    const { token } = await mintToken(t, owner, 'trade');
    const symbols: PricedSymbol[] = SYMBOLS.map((symbol) => {
      const q = t.live.latestQuote(symbol);
      if (!q) throw new Error(`no quote for ${symbol}`);
      return { symbol, bid: q.bidPrice, ask: q.askPrice };
    });
    const origin = await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    const job = (kind: LoadJob['kind'], runId: string, seconds: number): LoadJob => ({
      kind,
      origin,
      path: kind === 'orders' ? '/api/v1/orders' : '/api/v1/account',
      token,
      rate: options.rate,
      seconds,
      connections: options.connections,
      marketableEvery: options.marketableEvery,
      symbols,
      runId,
    });
    const settle = () => new Promise((r) => setTimeout(r, 500));
    // What the server burns with no request at all (the sim feed, bars, market steps): part of every figure.
    const idleCpu = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1_000));
    const idleCpuCores = Math.round(cpuMsSince(idleCpu) / 10) / 100;
    process.stderr.write(`[order-ack] ${engine}: baseline GET /api/v1/account\n`);
    await load(job('get', 'warm-get', options.warmupSeconds), options.pin);
    await settle();
    const baselineCpu = process.cpuUsage();
    const baselineSeen = serverSide(t.app.http.server);
    const baseline = await load(job('get', 'get', options.seconds), options.pin);
    const baselineCpuMs = cpuMsSince(baselineCpu);
    const baselineServer = baselineSeen.stop();
    process.stderr.write(`[order-ack] ${engine}: POST /api/v1/orders\n`);
    await load(job('orders', 'warm', options.warmupSeconds), options.pin);
    await settle();
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const profile =
      options.cpuProfileDir && path.join(options.cpuProfileDir, `order-ack-${engine}.cpuprofile`);
    const ordersSeen = serverSide(t.app.http.server);
    const heapProfile =
      options.heapProfileDir && path.join(options.heapProfileDir, `order-ack-${engine}.heapprofile`);
    const allocProfile =
      options.allocProfileDir && path.join(options.allocProfileDir, `order-ack-${engine}.allocprofile`);
    const orders = await heapProfiled(
      allocProfile,
      () =>
        heapProfiled(heapProfile, () =>
          profiled(profile, () => load(job('orders', 'run', options.seconds), options.pin)),
        ),
      true,
    );
    const cpuMs = cpuMsSince(cpuBefore);
    const ordersServer = ordersSeen.stop();
    const serverCpuCores = cpuMs / (performance.now() - wallBefore);
    // Every acknowledged order must be in the database.
    const acknowledged = orders.statuses['200'] ?? 0;
    const { rows } = await sql<{
      n: string;
    }>`select count(*)::text as n from trading_orders where client_order_id like 'run-%'`.execute(
      t.database.handle.db,
    );
    const stored = Number(rows[0]?.n ?? 0);
    return {
      idleServerCpuCores: idleCpuCores,
      baselineGetAccount: {
        ...report(baseline, options.seconds),
        serverCpuMsPerRequest: Math.round((baselineCpuMs / Math.max(1, baseline.completed)) * 100) / 100,
        server: baselineServer,
      },
      orders: {
        ...report(orders, options.seconds),
        serverCpuCores: Math.round(serverCpuCores * 100) / 100,
        // Server process CPU (all threads, the sim feed and market steps included) per order.
        serverCpuMsPerOrder: Math.round((cpuMs / Math.max(1, orders.completed)) * 100) / 100,
        server: ordersServer,
        acknowledgedOrdersStored: stored,
        everyAcknowledgedOrderStored: stored >= acknowledged,
      },
    };
  } finally {
    clearInterval(follow);
    await t.close();
  }
}

/**
 * The floor under every figure: a plain node:http server in this process answering `{"ok":true}` to the same
 * load client, at the same rate over the same connections (warmed up first).
 */
async function bareNodeFloor(options: OrderAckOptions) {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const job = (runId: string, seconds: number): LoadJob => ({
    kind: 'get',
    origin: `http://127.0.0.1:${port}`,
    path: '/floor',
    token: 'none',
    rate: options.rate,
    seconds,
    connections: options.connections,
    marketableEvery: options.marketableEvery,
    symbols: [],
    runId,
  });
  try {
    process.stderr.write('[order-ack] bare node:http floor\n');
    await load(job('warm-floor', options.warmupSeconds), options.pin);
    return report(await load(job('floor', options.seconds), options.pin), options.seconds);
  } finally {
    server.close();
  }
}

export async function runOrderAck(options: OrderAckOptions) {
  const engines: Record<string, unknown> = {};
  // -a: every thread of this process (libuv's pool, V8's GC helpers), not only the main one.
  if (options.pin) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const loadBefore = os.loadavg();
  const floor = await bareNodeFloor(options);
  for (const engine of options.engines) {
    let database: TestDatabase | undefined;
    try {
      database = engine === 'pglite' ? await freshPgliteOnDisk() : await freshPostgres();
    } catch (error) {
      engines[engine] = { error: `could not open ${engine}: ${String(error)}` };
      continue;
    }
    try {
      engines[engine] = await runEngine(engine, database, options);
    } catch (error) {
      engines[engine] = { error: String(error) };
    } finally {
      await database.dispose();
    }
  }
  return {
    benchmark: 'order-ack',
    config: {
      ...options,
      path: 'POST /api/v1/orders',
      baseline: 'GET /api/v1/account',
      floor: 'a bare node:http server (bareNodeFloor)',
    },
    targets: { pglite: { p99Ms: 5 }, postgres: { p99Ms: 10 } },
    machine: {
      cpus: os.cpus().length,
      loadavgBefore: loadBefore.map((x) => +x.toFixed(2)),
      loadavgAfter: os.loadavg().map((x) => +x.toFixed(2)),
    },
    bareNodeFloor: floor,
    engines,
    notes: [
      'bareNodeFloor is a plain node:http server answering a constant body to the same client: no framework, no database. Its p99 is what this machine and the load client alone cost at the tail.',
      'latencyFromDue counts from the moment a request was due (open loop), latencyFromSent from the moment it was written; they differ only when the client process was starved.',
      'Rate limiting is off: the production per-caller budget for trading routes (10/s, burst 50) would refuse a single caller at 200/s. Everything else is the production composition.',
      'A 200 means the order (and, for the market buys, its fill) is committed; the run checks every acknowledged order is in trading_orders.',
    ],
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runOrderAck(parseOptions(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(0);
}
