// The edge's CPU cost per request, in process: the same requests through Fastify's inject() into an app with the
// production edge on and one with it off, alternating batches, CPU time per request on each side and the
// difference (the edge's cost). No sockets and no load generator, so the figure is steadier than requests/s on a
// shared machine; edge.bench.ts measures throughput over real connections.
// Usage: npx tsx bench/edge/edge-cost.ts [--requests 20000] [--rounds 5] [--route name-prefix]
import type { TestApp } from '../../server/testing/test-app.js';
import { botHeaders, type EdgeRoute, startEdgeApps } from './edge-apps.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const REQUESTS = arg('requests', 20_000);
const ROUNDS = arg('rounds', 5);
const only = process.argv.indexOf('--route');
const routeFilter = only === -1 ? '' : (process.argv[only + 1] ?? '');

const apps = await startEdgeApps();
const { on, off } = apps;
const headers = botHeaders(apps.token);

/** CPU µs per request over `count` sequential injects (the handler's own work included). */
async function batch(t: TestApp, route: EdgeRoute, count: number): Promise<number> {
  const request =
    route.body === undefined
      ? { method: 'GET' as const, url: route.path, headers }
      : {
          method: 'POST' as const,
          url: route.path,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: route.body,
        };
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const res = await t.app.http.inject(request);
    if (res.statusCode !== 200) throw new Error(`${route.path}: ${res.statusCode} ${res.body}`);
    // inject() settles in microtasks; without a turn of the event loop the setImmediate work it leaves piles up.
    if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const r1 = (n: number) => Math.round(n * 10) / 10;
const results: Record<string, unknown> = {};
try {
  for (const route of apps.routes.filter((r) => r.name.startsWith(routeFilter))) {
    await batch(on, route, 2_000);
    await batch(off, route, 2_000);
    const a: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      b.push(await batch(off, route, REQUESTS));
      a.push(await batch(on, route, REQUESTS));
    }
    const diffs = a.map((x, i) => x - (b[i] ?? 0));
    results[route.name] = {
      edgeOnCpuUs: r1(median(a)),
      edgeOffCpuUs: r1(median(b)),
      edgeCostUs: r1(median(diffs)),
      edgeCostRangeUs: [r1(Math.min(...diffs)), r1(Math.max(...diffs))],
    };
    process.stderr.write(`${route.name}: ${JSON.stringify(results[route.name])}\n`);
  }
} finally {
  await apps.close();
}
process.stdout.write(
  `${JSON.stringify({ requestsPerBatch: REQUESTS, rounds: ROUNDS, routes: results, node: process.version }, null, 2)}\n`,
);
