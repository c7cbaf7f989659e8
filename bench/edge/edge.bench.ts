// The edge's cost, both ways issue #7 asks: the firewall engine's cost per typical API request (median and p99 µs
// over Pulse's legitimate corpus, bench/firewall/legit-corpus.jsonl), and requests/s of Pulse API routes with the
// whole edge on versus off, same run.
// Each side is a Pulse server in a process of its own, as in production (edge-server.ts: on = the production edge,
// `all`; off = every optional layer off); the routes are edge-apps.ts's. (Until session 10 both apps ran in this
// process, sharing V8's compiled code, which production never does; the losses measured either way were alike.)
// A load generator in its own process (wrk when it is installed, a few MB of C; else the autocannon CLI) drives each
// route over keep-alive connections on 127.0.0.1 for a second or two per run. On a shared virtual machine the same
// run repeated varies by ±20 %, so a route gets many short rounds, each an on run and an off run back to back
// (alternating which goes first), spread over several pairs of server processes (`--pairs`: one process can be
// faster or slower than the next for its whole life). The loss is the median of the rounds' own losses, with its
// quartiles and each pair's own median; the loss of the mean rates is reported too, and the server's CPU time per
// request for each side. After the rounds, one more run per side under V8's sampling profiler says which share of
// the server's CPU the edge's own code took (edge-share.ts): the edge's cost counted directly, where the rates above
// move by several percent from run to run on their own. Prints JSON.
// Usage: npx tsx bench/edge/edge.bench.ts [--quick] [--seconds 2] [--rounds 18] [--pairs 3] [--connections 10] [--pin]
//        [--routes clock,POST]   only the routes whose name contains one of these (case-insensitive)
//        [--on all]              the variant measured against the edge off (`--on off`: an A/A run)
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { z } from 'zod';
import {
  createFirewall,
  fromRawRequest,
  PULSE_EXCLUSIONS,
  type RawRequest,
} from '../../server/edge/firewall/index.js';
import { botHeaders, EDGE_ROUTES, type EdgeRoute, option, quantile } from './edge-apps.js';
import { type EdgeServer, startEdgeServer } from './edge-server.js';
import { combineShares, type EdgeShare } from './edge-share.js';

const arg = (name: string, fallback: number): number => Number(option(name, String(fallback)));
const quick = process.argv.includes('--quick');
const SECONDS = arg('seconds', quick ? 1 : 2);
const ROUNDS = arg('rounds', quick ? 6 : 18);
const CONNECTIONS = arg('connections', 10);
/**
 * Pairs of servers (one on, one off) the rounds take turns on. One process can run the same code several µs per
 * request slower or faster than the next for its whole life (what V8 compiled, where things landed in memory):
 * measured here with one pair per run, one run's pair differed by 13.6 µs on assets search and 1.8 µs on clock, the
 * next run's by 6 µs and 12.1 µs. Rounds spread over several pairs average that out instead of carrying one pair's
 * luck into the figure.
 */
const PAIRS = arg('pairs', quick ? 2 : 3);
/**
 * The variant measured against the edge off (edge-server.ts): `all` by default. `--on off` is an A/A run, off against
 * off: whatever loss it shows is the method's own, the floor under any figure it gives the edge.
 */
const ON = option('on', 'all');
/**
 * `--pin`: the server on core 0 and the load generator on core 1 (taskset), so neither waits for the other's core
 * and the kernel wakes the client across cores. Without it the scheduler shares both cores between them.
 */
const PIN = process.argv.includes('--pin');
const routesAt = process.argv.indexOf('--routes');
const ROUTES = routesAt === -1 ? [] : (process.argv[routesAt + 1] ?? '').toLowerCase().split(',');
const wanted = (route: EdgeRoute): boolean =>
  ROUTES.length === 0 || ROUTES.some((name) => route.name.toLowerCase().includes(name));

/**
 * Median and p99 wall time of one `inspect` over the legitimate corpus, after warming up; CPU mean too. `remembering`:
 * rule hits of header values, paths and short arguments are cached as in production (warm here, since the corpus
 * repeats), else nothing is (every value judged as if new). Verdicts of whole requests are never remembered here:
 * repeated rounds would hit them.
 */
function firewallCost(rounds: number, remembering: boolean) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const corpus = readFileSync(path.join(here, '../firewall/legit-corpus.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => fromRawRequest(JSON.parse(line) as RawRequest));
  const firewall = createFirewall({
    paranoia: 1,
    exclusions: PULSE_EXCLUSIONS,
    verdictCacheSize: 0,
    ...(!remembering && { headerCacheSize: 0 }),
  });
  for (let i = 0; i < 5; i++) for (const r of corpus) firewall.inspect(r);
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let round = 0; round < rounds; round++)
    for (const r of corpus) {
      const start = process.hrtime.bigint();
      firewall.inspect(r);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  const used = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  const at = (p: number) => Math.round(samples[Math.floor((samples.length - 1) * p)]! * 10) / 10;
  return {
    requests: corpus.length,
    inspections: samples.length,
    p50Us: at(0.5),
    p99Us: at(0.99),
    cpuMeanUs: Math.round(((used.user + used.system) / samples.length) * 10) / 10,
    target: 'median <= 50 µs',
  };
}

type Run = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The server process's CPU time per request (its own core; the load runs in another process). */
  serverCpuUsPerRequest: number;
  non2xx: number;
  errors: number;
};

/** The parts of autocannon's --json report read here. */
const AutocannonJson = z.object({
  requests: z.object({ average: z.number(), total: z.number() }),
  latency: z.object({ p50: z.number(), p99: z.number() }),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
});
const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** wrk's path when it is installed (Debian's `wrk`): a C load generator leaves the server more of the machine. */
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((file) => existsSync(file));

/** A duration in wrk's latency report (`812.00us`, `1.20ms`, `2.00s`) in milliseconds. */
function wrkMs(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text ?? '');
  if (!m) return Number.NaN;
  const value = Number(m[1]);
  return m[2] === 'us' ? value / 1000 : m[2] === 'ms' ? value : value * 1000;
}

/** What one load run reports: requests done, latency quantiles, refusals and socket errors. */
interface LoadReport {
  total: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** Parses `wrk --latency` output. */
function parseWrk(out: string): LoadReport {
  const total = Number(/(\d+) requests in/.exec(out)?.[1]);
  if (!Number.isFinite(total)) throw new Error(`unexpected wrk output: ${out.slice(0, 500)}`);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    total,
    p50Ms: wrkMs(/\s50%\s+(\S+)/.exec(out)?.[1]),
    p99Ms: wrkMs(/\s99%\s+(\S+)/.exec(out)?.[1]),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

/** Runs the load generator once against `url` with `headers` (and `body` as a JSON POST). */
async function loadRun(
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<LoadReport> {
  const [command, args] = WRK
    ? [
        WRK,
        [
          '-t1',
          `-c${CONNECTIONS}`,
          `-d${SECONDS}s`,
          '--latency',
          ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
          ...(body === undefined ? [] : ['-s', writeWrkPost(body)]),
          url,
        ],
      ]
    : [
        process.execPath,
        [
          autocannonCli,
          '-c',
          String(CONNECTIONS),
          '-d',
          String(SECONDS),
          '-j',
          ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]),
          ...(body === undefined ? [] : ['-m', 'POST', '-b', body]),
          url,
        ],
      ];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      PIN ? 'taskset' : command,
      PIN ? ['-c', '1', command, ...args] : args,
      { timeout: (SECONDS + 30) * 1000, maxBuffer: 16 * 1024 * 1024 },
      (error, out) => (error ? reject(error) : resolve(out)),
    );
  });
  if (WRK) return parseWrk(stdout);
  const result = AutocannonJson.parse(JSON.parse(stdout));
  return {
    total: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** wrk sends a body through a Lua script: written once per body into the temporary folder. */
const wrkScripts = new Map<string, string>();
function writeWrkPost(body: string): string {
  let file = wrkScripts.get(body);
  if (file === undefined) {
    file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pulse-edge-')), 'post.lua');
    writeFileSync(file, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n`);
    wrkScripts.set(body, file);
  }
  return file;
}

/** Drives `route` at `server` from the load generator's own process, measuring the server's CPU. */
async function drive(server: EdgeServer, route: EdgeRoute): Promise<Run> {
  const headers = {
    ...botHeaders(server.token),
    ...(route.body !== undefined && { 'content-type': 'application/json' }),
  };
  const before = await server.usage();
  const report = await loadRun(
    `${server.url}${route.path.replace('{watchlist}', server.watchlist)}`,
    headers,
    route.body,
  );
  const after = await server.usage();
  return {
    requestsPerSecond: Math.round(report.total / SECONDS),
    p50Ms: report.p50Ms,
    p99Ms: report.p99Ms,
    serverCpuUsPerRequest:
      report.total === 0 ? 0 : Math.round(((after.cpuUs - before.cpuUs) / report.total) * 10) / 10,
    non2xx: report.non2xx,
    errors: report.errors,
  };
}

async function main(): Promise<void> {
  const cost = firewallCost(quick ? 10 : 40, true);
  const coldCost = firewallCost(quick ? 10 : 40, false);
  process.stderr.write(`edge: firewall p50 ${cost.p50Us} µs (nothing remembered: ${coldCost.p50Us} µs)\n`);
  // Pinned: both servers on core 0 (only one is driven at a time), the load generator on core 1.
  const wrap = PIN ? ['taskset', '-c', '0'] : [];
  const pairs: { on: EdgeServer; off: EdgeServer }[] = [];
  const results: Record<
    string,
    { on: Run[]; off: Run[]; pairOf: number[]; shares: { on: EdgeShare; off: EdgeShare } }
  > = {};
  try {
    for (let i = 0; i < PAIRS; i++)
      pairs.push({ on: await startEdgeServer(ON, { wrap }), off: await startEdgeServer('off', { wrap }) });
    for (const route of EDGE_ROUTES.filter(wanted)) {
      // Warm every server (JIT, caches) before measuring.
      for (const pair of pairs) for (const server of [pair.on, pair.off]) await drive(server, route);
      const runs = { on: [] as Run[], off: [] as Run[], pairOf: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const pair = pairs[round % PAIRS] as (typeof pairs)[number];
        runs.pairOf.push(round % PAIRS);
        const order =
          Math.floor(round / PAIRS) % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
        for (const side of order) runs[side].push(await drive(pair[side], route));
      }
      const shares = { on: [] as EdgeShare[], off: [] as EdgeShare[] };
      for (const pair of pairs)
        for (const side of ['on', 'off'] as const)
          shares[side].push(await pair[side].profile(() => drive(pair[side], route)));
      results[route.name] = {
        ...runs,
        shares: { on: combineShares(shares.on), off: combineShares(shares.off) },
      };
      process.stderr.write(`edge throughput: ${route.name} done\n`);
    }
  } finally {
    for (const pair of pairs) {
      pair.on.close();
      pair.off.close();
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, { on: a, off: b, pairOf, shares }]) => {
      const mean = (runs: Run[]) => runs.reduce((s, r) => s + r.requestsPerSecond, 0) / runs.length;
      const cpu = (runs: Run[]) => runs.reduce((s, r) => s + r.serverCpuUsPerRequest, 0) / runs.length;
      // Each round's own loss: its on run against the off run next to it, so drift hits both alike.
      const roundLosses = a.map(
        (run, i) => 1 - run.requestsPerSecond / (b[i]?.requestsPerSecond ?? Number.NaN),
      );
      const pct = (x: number) => Math.round(x * 1000) / 10;
      return [
        name,
        {
          edgeOnRequestsPerSecond: Math.round(mean(a)),
          edgeOffRequestsPerSecond: Math.round(mean(b)),
          throughputLossPct: pct(quantile(roundLosses, 0.5)),
          throughputLossQuartilesPct: [pct(quantile(roundLosses, 0.25)), pct(quantile(roundLosses, 0.75))],
          // The median loss on each pair of servers alone: how far one process's luck moves the figure.
          throughputLossByPairPct: Array.from({ length: PAIRS }, (_, p) =>
            pct(
              quantile(
                roundLosses.filter((_, i) => pairOf[i] === p),
                0.5,
              ),
            ),
          ),
          lossOfMeanRatesPct: pct(1 - mean(a) / mean(b)),
          serverCpuUsPerRequest: {
            edgeOn:
              Math.round(
                quantile(
                  a.map((r) => r.serverCpuUsPerRequest),
                  0.5,
                ) * 10,
              ) / 10,
            edgeOff:
              Math.round(
                quantile(
                  b.map((r) => r.serverCpuUsPerRequest),
                  0.5,
                ) * 10,
              ) / 10,
          },
          edgeCostUsPerRequest: Math.round((cpu(a) - cpu(b)) * 10) / 10,
          edgeCpuSharePct: {
            edgeOn: pct(shares.on.sharePct / 100),
            edgeOff: pct(shares.off.sharePct / 100),
            // The layers the off app turns off: what they add to the server's CPU, as a share of it.
            difference: pct((shares.on.sharePct - shares.off.sharePct) / 100),
            garbageCollector: {
              edgeOn: pct(shares.on.gcUs / shares.on.busyUs),
              edgeOff: pct(shares.off.gcUs / shares.off.busyUs),
            },
            edgeOnByLayer: Object.fromEntries(
              Object.entries(shares.on.byLayer)
                .sort(([, x], [, y]) => y - x)
                .map(([layer, us]) => [layer, pct(us / shares.on.busyUs)]),
            ),
          },
          refusedOrFailed: [...a, ...b].reduce((s, r) => s + r.non2xx + r.errors, 0),
          runs: { on: a, off: b },
        },
      ];
    }),
  );
  const losses = Object.values(summary).map((s) => s.throughputLossPct);
  process.stdout.write(
    `${JSON.stringify(
      {
        firewallCostPerRequest: cost,
        firewallCostPerRequestNothingRemembered: coldCost,
        edgeThroughput: {
          connections: CONNECTIONS,
          secondsPerRun: SECONDS,
          rounds: ROUNDS,
          pinned: PIN,
          serverPairs: PAIRS,
          on: ON,
          loadGenerator: WRK ? 'wrk' : 'autocannon',
          lossIs:
            'median over rounds of 1 - (on rps / off rps), each round an on and an off run back to back',
          target: 'throughput loss with the edge on <= 10 %',
          worstLossPct: Math.max(...losses),
          routes: summary,
        },
        node: process.version,
      },
      null,
      2,
    )}\n`,
  );
}

await main();
