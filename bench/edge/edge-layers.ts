// Which of the edge's layers costs what over real sockets: each variant (the edge off, all of it, or any set of its
// layers) is a Pulse server in its own process, pinned to core 0, with its own database; wrk, pinned to core 1,
// drives one route at each in turn, many short rounds, alternating the order. Per variant: the median of the rounds'
// throughput losses against the edge-off server in the same round (and quartiles), and the server's CPU time per
// request, with its garbage collections per 1,000 requests and GC time per request (allocation-driven, so steadier
// than time on a noisy machine). One app per process, as in production; edge.bench.ts keeps both apps in one.
// Needs wrk (Debian's `wrk`) and taskset. Prints JSON.
// Usage: npx tsx bench/edge/edge-layers.ts [--route /api/v1/clock] [--rounds 16] [--seconds 1]
//        [--variants off,all,firewall,rate,bot,ip,rate+bot+ip]
//        [--post '{"symbol":"AAPL"}']   POSTs that JSON body instead of a GET; `{watchlist}` in --route becomes the
//                                       id of a watchlist each server made (e.g. /api/v1/watchlists/{watchlist}/symbols)
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MemoryRateLimitStore } from '../../server/edge/rate-limit/index.js';
import type { AppDeps } from '../../server/app.js';
import { mintToken, setupOwner } from '../../server/testing/accounts.js';
import { freshPglite } from '../../server/testing/databases.js';
import { createTestApp } from '../../server/testing/test-app.js';
import { botHeaders, option, quantile, variantOptions } from './edge-apps.js';

const LAYERS = ['firewall', 'rate', 'bot', 'ip'] as const;
type Layer = (typeof LAYERS)[number];
const UNLIMITED = { capacity: 1e12, refillPerSecond: 1e12 };
const PRODUCTION_CADENCE = { feedTickMs: 250, tradingTickMs: 1_000 };

/** The layers a variant turns on: `off`, `all`, or names joined by `+`. */
function layersOf(variant: string): ReadonlySet<Layer> {
  if (variant === 'off') return new Set();
  if (variant === 'all') return new Set(LAYERS);
  const names = variant.split('+');
  const unknown = names.filter((name) => !(LAYERS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown layer ${unknown.join(', ')}: one of ${LAYERS.join(', ')}`);
  return new Set(names as Layer[]);
}

/** The edge options of a variant, as edge-apps.ts configures the production edge. */
function edgeOf(layers: ReadonlySet<Layer>): Partial<AppDeps> {
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
type Usage = z.infer<typeof Usage>;

/** The market's timers nearly stopped: for edge-instructions.ts, whose slowed-down servers would otherwise spend
 * most of their counted instructions on the market's clockwork, which no request causes. */
const IDLE_CADENCE = { feedTickMs: 3_600_000, tradingTickMs: 3_600_000 };

/** The child: one server of `variant`, answering `cpu` messages with its CPU time so far. */
async function serve(variant: string, cadence = PRODUCTION_CADENCE): Promise<void> {
  const database = await freshPglite();
  // The owner and the token are made with the edge off (the bot defence refuses inject()'s client).
  const setup = await createTestApp(edgeOf(new Set()), { database });
  const owner = await setupOwner(setup);
  const { token } = await mintToken(setup, owner, 'trade');
  const created = await setup.app.http.inject({
    method: 'POST',
    url: '/api/v1/watchlists',
    headers: owner.headers,
    payload: { name: 'Tech', symbols: ['AAPL', 'MSFT', 'NVDA'] },
  });
  const { id: watchlist } = z.object({ id: z.string() }).parse(created.json());
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
  process.on('message', () => {
    const used = process.cpuUsage();
    const usage: Usage = { cpuUs: used.user + used.system, gcCount, gcMs };
    process.send?.(usage);
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ url, token, watchlist });
}

interface Server {
  child: ChildProcess;
  url: string;
  token: string;
  watchlist: string;
}

/** wrk sends a body through a Lua script: written once into a temporary folder. */
function postScript(body: string): string {
  const file = nodePath.join(mkdtempSync(nodePath.join(os.tmpdir(), 'edge-layers-')), 'post.lua');
  writeFileSync(file, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n`);
  return file;
}

function start(variant: string): Promise<Server> {
  const child = spawn(
    'taskset',
    ['-c', '0', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', variant],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, ...Ready.parse(message) }));
    child.once('exit', (code) => reject(new Error(`${variant}: server exited with ${code}`)));
  });
}

function usageOf(server: Server): Promise<Usage> {
  return new Promise((resolve) => {
    server.child.once('message', (message) => resolve(Usage.parse(message)));
    server.child.send('usage');
  });
}

/** One run's figures: requests/s, and per request the server's CPU time, GCs (per 1,000) and GC time. */
interface RunFigures {
  rps: number;
  cpuUs: number;
  gcPerThousand: number;
  gcUs: number;
}

async function drive(
  server: Server,
  route: string,
  seconds: number,
  post: string | undefined,
): Promise<RunFigures> {
  const path = route.replace('{watchlist}', server.watchlist);
  const headers = Object.entries({
    ...botHeaders(server.token),
    ...(post !== undefined && { 'content-type': 'application/json' }),
  }).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const script = post === undefined ? [] : ['-s', post];
  const before = await usageOf(server);
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      'taskset',
      ['-c', '1', 'wrk', '-t1', '-c10', `-d${seconds}s`, ...script, ...headers, `${server.url}${path}`],
      { timeout: (seconds + 30) * 1000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
  const after = await usageOf(server);
  const total = Number(/(\d+) requests in/.exec(out)?.[1]);
  if (!Number.isFinite(total) || total === 0 || /Non-2xx/.test(out))
    throw new Error(`${server.url}${path}: unexpected wrk output ${out.slice(0, 300)}`);
  return {
    rps: total / seconds,
    cpuUs: (after.cpuUs - before.cpuUs) / total,
    gcPerThousand: ((after.gcCount - before.gcCount) * 1000) / total,
    gcUs: ((after.gcMs - before.gcMs) * 1000) / total,
  };
}

async function main(): Promise<void> {
  const { route: path, post: body, variants } = variantOptions('all,firewall,rate,bot,ip');
  const post = body === undefined ? undefined : postScript(body);
  const rounds = Number(option('rounds', '16'));
  const seconds = Number(option('seconds', '1'));
  for (const variant of variants) layersOf(variant);
  const servers = new Map<string, Server>();
  try {
    for (const variant of variants) servers.set(variant, await start(variant));
    const at = (variant: string) => servers.get(variant) as Server;
    for (const variant of variants) await drive(at(variant), path, 2, post); // JIT, caches
    const runs = new Map(variants.map((v) => [v, [] as RunFigures[]]));
    for (let round = 0; round < rounds; round++) {
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
        runs.get(variant)?.push(await drive(at(variant), path, seconds, post));
      }
      process.stderr.write(`edge layers: round ${round + 1}/${rounds}\n`);
    }
    const pct = (x: number) => Math.round(x * 1000) / 10;
    const us = (x: number) => Math.round(x * 10) / 10;
    const of = (variant: string, figure: keyof RunFigures) => (runs.get(variant) ?? []).map((r) => r[figure]);
    const offRps = of('off', 'rps');
    const offCpu = of('off', 'cpuUs');
    const results = Object.fromEntries(
      variants.map((variant) => {
        const losses = of(variant, 'rps').map((x, i) => 1 - x / (offRps[i] ?? Number.NaN));
        const extra = of(variant, 'cpuUs').map((x, i) => x - (offCpu[i] ?? Number.NaN));
        return [
          variant,
          {
            throughputLossPct: pct(quantile(losses, 0.5)),
            throughputLossQuartilesPct: [pct(quantile(losses, 0.25)), pct(quantile(losses, 0.75))],
            serverCpuUsPerRequest: us(quantile(of(variant, 'cpuUs'), 0.5)),
            extraCpuUsPerRequest: us(quantile(extra, 0.5)),
            gcPerThousandRequests: us(quantile(of(variant, 'gcPerThousand'), 0.5)),
            gcUsPerRequest: us(quantile(of(variant, 'gcUs'), 0.5)),
          },
        ];
      }),
    );
    process.stdout.write(
      `${JSON.stringify({ route: path, ...(body !== undefined && { post: body }), rounds, secondsPerRun: seconds, variants: results, node: process.version }, null, 2)}\n`,
    );
  } finally {
    for (const server of servers.values()) server.child.disconnect();
  }
}

if (process.argv[2] === '--serve')
  await serve(
    process.argv[3] ?? 'off',
    process.argv[4] === '--idle-market' ? IDLE_CADENCE : PRODUCTION_CADENCE,
  );
else await main();
