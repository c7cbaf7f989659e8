// The edge's cost, both ways issue #7 asks: the firewall engine's cost per typical API request (median and p99 µs
// over Pulse's legitimate corpus, bench/firewall/legit-corpus.jsonl), and requests/s of Pulse API routes with the
// whole edge on versus off, same process, same run.
// The apps and routes are in edge-apps.ts (edge on = the production edge; off = every optional layer off).
// autocannon drives each route for a few seconds per round over keep-alive connections on 127.0.0.1; the
// rounds alternate on/off so drift on a shared machine hits both sides alike. The load runs in its own process (the
// autocannon CLI), so the server has a core of its own; its CPU time per request is reported too. Prints JSON.
// Usage: npx tsx bench/edge/edge.bench.ts [--quick] [--seconds 4] [--rounds 2] [--connections 10] [--pin]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { z } from 'zod';
import {
  createFirewall,
  fromRawRequest,
  PULSE_EXCLUSIONS,
  type RawRequest,
} from '../../server/edge/firewall/index.js';
import { botHeaders, type EdgeApps, type EdgeRoute, startEdgeApps } from './edge-apps.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const quick = process.argv.includes('--quick');
const SECONDS = arg('seconds', quick ? 2 : 4);
const ROUNDS = arg('rounds', quick ? 1 : 2);
const CONNECTIONS = arg('connections', 10);
/**
 * `--pin`: the server on core 0 and the load generator on core 1 (taskset), so neither waits for the other's core
 * and the kernel wakes the client across cores. Without it the scheduler shares both cores between them.
 */
const PIN = process.argv.includes('--pin');
if (PIN) execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });

type Served = { url: string; token: string };

/** Listens with both apps on 127.0.0.1. */
async function serve(apps: EdgeApps): Promise<{ on: Served; off: Served }> {
  const listen = async (t: EdgeApps['on']): Promise<Served> => ({
    token: apps.token,
    url: await t.app.http.listen({ host: '127.0.0.1', port: 0 }),
  });
  return { on: await listen(apps.on), off: await listen(apps.off) };
}

/** Median and p99 wall time of one `inspect` over the legitimate corpus, after warming up; CPU mean too. */
function firewallCost(rounds: number) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const corpus = readFileSync(path.join(here, '../firewall/legit-corpus.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => fromRawRequest(JSON.parse(line) as RawRequest));
  // No remembered verdicts (repeated rounds would hit them), as for new traffic; header and path rule hits are
  // cached as in production, and warm here since the corpus repeats.
  const firewall = createFirewall({ paranoia: 1, exclusions: PULSE_EXCLUSIONS, verdictCacheSize: 0 });
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

/** Drives `path` from a separate autocannon process (so the load never shares the server's core), measuring the server's CPU. */
async function drive(url: string, route: EdgeRoute, token: string): Promise<Run> {
  const cpu = process.cpuUsage();
  const headers = Object.entries({
    ...botHeaders(token),
    ...(route.body !== undefined && { 'content-type': 'application/json' }),
  }).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
  const args = [
    autocannonCli,
    '-c',
    String(CONNECTIONS),
    '-d',
    String(SECONDS),
    '-j',
    ...headers,
    ...(route.body === undefined ? [] : ['-m', 'POST', '-b', route.body]),
    `${url}${route.path}`,
  ];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      PIN ? 'taskset' : process.execPath,
      PIN ? ['-c', '1', process.execPath, ...args] : args,
      { timeout: (SECONDS + 30) * 1000, maxBuffer: 16 * 1024 * 1024 },
      (error, out) => (error ? reject(error) : resolve(out)),
    );
  });
  const used = process.cpuUsage(cpu);
  const result = AutocannonJson.parse(JSON.parse(stdout));
  const requests = result.requests.total;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    serverCpuUsPerRequest: requests === 0 ? 0 : Math.round(((used.user + used.system) / requests) * 10) / 10,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  const cost = firewallCost(quick ? 10 : 40);
  process.stderr.write(`edge: firewall p50 ${cost.p50Us} µs\n`);
  const apps = await startEdgeApps();
  const { on, off } = await serve(apps);
  const results: Record<string, { on: Run[]; off: Run[] }> = {};
  try {
    for (const route of apps.routes) {
      // Warm both (JIT, caches) before measuring.
      await drive(on.url, route, on.token);
      await drive(off.url, route, off.token);
      const runs = { on: [] as Run[], off: [] as Run[] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
        for (const side of order) {
          const s = side === 'on' ? on : off;
          runs[side].push(await drive(s.url, route, s.token));
        }
      }
      results[route.name] = runs;
      process.stderr.write(`edge throughput: ${route.name} done\n`);
    }
  } finally {
    await apps.close();
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, { on: a, off: b }]) => {
      const mean = (runs: Run[]) => runs.reduce((s, r) => s + r.requestsPerSecond, 0) / runs.length;
      const onRps = mean(a);
      const offRps = mean(b);
      const cpu = (runs: Run[]) => runs.reduce((s, r) => s + r.serverCpuUsPerRequest, 0) / runs.length;
      return [
        name,
        {
          edgeOnRequestsPerSecond: Math.round(onRps),
          edgeOffRequestsPerSecond: Math.round(offRps),
          throughputLossPct: Math.round((1 - onRps / offRps) * 1000) / 10,
          serverCpuUsPerRequest: {
            edgeOn: Math.round(cpu(a) * 10) / 10,
            edgeOff: Math.round(cpu(b) * 10) / 10,
          },
          edgeCostUsPerRequest: Math.round((cpu(a) - cpu(b)) * 10) / 10,
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
        edgeThroughput: {
          connections: CONNECTIONS,
          secondsPerRun: SECONDS,
          rounds: ROUNDS,
          pinned: PIN,
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
