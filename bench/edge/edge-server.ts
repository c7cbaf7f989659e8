// One Pulse server with a variant of the edge, in a process of its own, as production runs one app per process: the
// edge off, all of it, or any set of its layers. Two apps in one process share V8's compiled code (Fastify, Node's
// HTTP, the routes), so one app's traffic can change how fast the other's runs, which production never sees.
// The parent talks to the child over IPC: it asks for the CPU time used so far (with the garbage collections), and
// starts and stops V8's sampling profiler, getting back the edge's share of the CPU (edge-share.ts). With
// EDGE_PROFILE_DIR set, each profile is also written there (`<variant>-<ms>.cpuprofile`) for a closer look.
// Used by edge.bench.ts, edge-layers.ts and edge-instructions.ts; the child is this file run with `--serve <variant>`.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AppDeps } from '../../server/app.js';
import { MemoryRateLimitStore } from '../../server/edge/rate-limit/index.js';
import { mintToken, setupOwner } from '../../server/testing/accounts.js';
import { freshPglite } from '../../server/testing/databases.js';
import { createTestApp, type TestApp } from '../../server/testing/test-app.js';
import { CpuProfile, type EdgeShare, edgeShare } from './edge-share.js';

export const LAYERS = ['firewall', 'rate', 'bot', 'ip'] as const;
type Layer = (typeof LAYERS)[number];
const UNLIMITED = { capacity: 1e12, refillPerSecond: 1e12 };
/** Production's cadence: the sim feed every 250 ms, accounts every second. */
const PRODUCTION_CADENCE = { feedTickMs: 250, tradingTickMs: 1_000 };
/**
 * The market's timers nearly stopped: for edge-instructions.ts, whose slowed-down servers would otherwise spend most
 * of their counted instructions on the market's clockwork, which no request causes.
 */
const IDLE_CADENCE = { feedTickMs: 3_600_000, tradingTickMs: 3_600_000 };

/** The layers a variant turns on: `off`, `all`, or names joined by `+` (e.g. `rate+bot`). */
export function layersOf(variant: string): ReadonlySet<Layer> {
  if (variant === 'off') return new Set();
  if (variant === 'all') return new Set(LAYERS);
  const names = variant.split('+');
  const unknown = names.filter((name) => !(LAYERS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown layer ${unknown.join(', ')}: one of ${LAYERS.join(', ')}`);
  return new Set(names as Layer[]);
}

/**
 * The edge options of a variant. All of it is the production edge: IP filter (deny lists loaded), rate limits
 * (budgets raised so the load is counted but never refused), bot defence, firewall at paranoia 1 with Pulse's
 * exclusions. Strict headers are on in every variant: they are not optional.
 */
export function edgeOf(layers: ReadonlySet<Layer>): Partial<AppDeps> {
  return {
    firewall: { mode: layers.has('firewall') ? 'block' : 'off', paranoia: 1 },
    rateLimit: layers.has('rate')
      ? {
          store: new MemoryRateLimitStore(),
          rules: { ip: UNLIMITED, market: UNLIMITED, api: UNLIMITED, auth: UNLIMITED, trading: UNLIMITED },
        }
      : 'off',
    botDefence: layers.has('bot') ? { secret: 'bench-secret-bench-secret-bench-secret' } : 'off',
    ...(layers.has('ip') && { ipFilter: { deny: ['203.0.113.0/24', '2001:db8::/32'] } }),
  };
}

const Ready = z.object({ url: z.string(), token: z.string(), watchlist: z.string() });
const Usage = z.object({ cpuUs: z.number(), gcCount: z.number(), gcMs: z.number() });
/** The child's CPU time so far (µs), and its garbage collections: how many and their time (ms). */
export type Usage = z.infer<typeof Usage>;
const Share = z.object({
  busyUs: z.number(),
  edgeUs: z.number(),
  sharePct: z.number(),
  byLayer: z.record(z.string(), z.number()),
  gcUs: z.number(),
});
const Ask = z.enum(['usage', 'profile-start', 'profile-stop']);
type Ask = z.infer<typeof Ask>;

/**
 * Makes the owner, an API token for the benchmarks' bot and a watchlist, through `app` (with the edge off: the bot
 * defence refuses inject()'s client).
 */
export async function setUpBot(app: TestApp): Promise<{ token: string; watchlist: string }> {
  const owner = await setupOwner(app);
  const { token } = await mintToken(app, owner, 'trade');
  const created = await app.app.http.inject({
    method: 'POST',
    url: '/api/v1/watchlists',
    headers: owner.headers,
    payload: { name: 'Tech', symbols: ['AAPL', 'MSFT', 'NVDA'] },
  });
  if (created.statusCode !== 201) throw new Error(`watchlist: ${created.statusCode} ${created.body}`);
  const { id: watchlist } = z.object({ id: z.string() }).parse(created.json());
  return { token, watchlist };
}

/** The child: one server of `variant` on a fresh PGlite database, answering the parent's asks. */
async function serve(variant: string, cadence: typeof PRODUCTION_CADENCE): Promise<void> {
  const database = await freshPglite();
  // The owner, the bot's token and a watchlist are made with the edge off (the bot defence refuses inject()).
  const setup = await createTestApp(edgeOf(new Set()), { database });
  const { token, watchlist } = await setUpBot(setup);
  await setup.app.http.close();
  await setup.live.stop();
  const t = await createTestApp(edgeOf(layersOf(variant)), { database, cadence });
  const url = await t.app.http.listen({ host: '127.0.0.1', port: 0 });
  // Garbage collections follow allocation, not the machine's noise: a steadier signal of the edge's extra work.
  let gcCount = 0;
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount += 1;
      gcMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const session = new Session();
  session.connect();
  const answer = async (ask: Ask): Promise<Usage | EdgeShare | null> => {
    switch (ask) {
      case 'usage': {
        const used = process.cpuUsage();
        return { cpuUs: used.user + used.system, gcCount, gcMs };
      }
      case 'profile-start':
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
        return null;
      case 'profile-stop': {
        const { profile } = await session.post('Profiler.stop');
        const dir = process.env.EDGE_PROFILE_DIR;
        if (dir)
          writeFileSync(path.join(dir, `${variant}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
        return edgeShare(CpuProfile.parse(profile));
      }
    }
  };
  process.on('message', (message) => {
    void answer(Ask.parse(message)).then((reply) => process.send?.({ reply }));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ url, token, watchlist });
}

/** A running server of one variant, and how to ask it for its figures. */
export interface EdgeServer {
  readonly variant: string;
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string;
  /** The id of a watchlist the server made: `{watchlist}` in a route's path. */
  readonly watchlist: string;
  usage(): Promise<Usage>;
  /** Runs `work` with the server under V8's sampling profiler; returns the edge's share of the server's CPU. */
  profile(work: () => Promise<unknown>): Promise<EdgeShare>;
  /** Ends the server (it exits once its IPC channel closes). */
  close(): void;
}

/** How to start a server: the command it runs under (`taskset`, `valgrind`…), the market's cadence, its stderr. */
export interface EdgeServerOptions {
  wrap?: readonly string[];
  idleMarket?: boolean;
  stderr?: 'inherit' | 'pipe' | 'ignore';
}

/** Starts a server of `variant` in its own process and waits until it listens. */
export function startEdgeServer(variant: string, options: EdgeServerOptions = {}): Promise<EdgeServer> {
  layersOf(variant);
  const [command, ...args] = [
    ...(options.wrap ?? []),
    process.execPath,
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--serve',
    variant,
    ...(options.idleMarket ? ['--idle-market'] : []),
  ];
  const child = spawn(command ?? process.execPath, args, {
    stdio: ['ignore', 'ignore', options.stderr ?? 'inherit', 'ipc'],
  });
  const ask = async (what: Ask): Promise<unknown> =>
    new Promise((resolve) => {
      child.once('message', (message) => resolve(z.object({ reply: z.unknown() }).parse(message).reply));
      child.send(what);
    });
  return new Promise((resolve, reject) => {
    child.once('message', (message) =>
      resolve({
        variant,
        child,
        ...Ready.parse(message),
        usage: async () => Usage.parse(await ask('usage')),
        profile: async (work) => {
          await ask('profile-start');
          // Stopped even when the work failed, so the profiler does not run on into the next figures.
          let share: EdgeShare;
          try {
            await work();
          } finally {
            share = Share.parse(await ask('profile-stop'));
          }
          return share;
        },
        close: () => child.disconnect(),
      }),
    );
    child.once('exit', (code) => reject(new Error(`${variant}: server exited with ${code}`)));
  });
}

if (process.argv[2] === '--serve')
  await serve(
    process.argv[3] ?? 'off',
    process.argv[4] === '--idle-market' ? IDLE_CADENCE : PRODUCTION_CADENCE,
  );
