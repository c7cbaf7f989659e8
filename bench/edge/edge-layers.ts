// Which of the edge's layers costs what over real sockets: each variant (the edge off, all of it, or any set of its
// layers) is a Pulse server in its own process, pinned to core 0, with its own database; wrk, pinned to core 1,
// drives one route at each in turn, many short rounds, alternating the order. Per variant: the median of the rounds'
// throughput losses against the edge-off server in the same round (and quartiles), and the server's CPU time per
// request, with its garbage collections per 1,000 requests and GC time per request (allocation-driven, so steadier
// than time on a noisy machine). The servers are edge-server.ts's, one app per process, as in production.
// Needs wrk (Debian's `wrk`) and taskset. Prints JSON.
// Usage: npx tsx bench/edge/edge-layers.ts [--route /api/v1/clock] [--rounds 16] [--seconds 1]
//        [--variants off,all,firewall,rate,bot,ip,rate+bot+ip]
//        [--post '{"symbol":"AAPL"}']   POSTs that JSON body instead of a GET; `{watchlist}` in --route becomes the
//                                       id of a watchlist each server made (e.g. /api/v1/watchlists/{watchlist}/symbols)
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { botHeaders, option, quantile, variantOptions } from './edge-apps.js';
import { type EdgeServer, layersOf, startEdgeServer } from './edge-server.js';

/** wrk sends a body through a Lua script: written once into a temporary folder. */
function postScript(body: string): string {
  const file = nodePath.join(mkdtempSync(nodePath.join(os.tmpdir(), 'edge-layers-')), 'post.lua');
  writeFileSync(file, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n`);
  return file;
}

/** One run's figures: requests/s, and per request the server's CPU time, GCs (per 1,000) and GC time. */
interface RunFigures {
  rps: number;
  cpuUs: number;
  gcPerThousand: number;
  gcUs: number;
}

async function drive(
  server: EdgeServer,
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
  const before = await server.usage();
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      'taskset',
      ['-c', '1', 'wrk', '-t1', '-c10', `-d${seconds}s`, ...script, ...headers, `${server.url}${path}`],
      { timeout: (seconds + 30) * 1000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
  const after = await server.usage();
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
  const servers = new Map<string, EdgeServer>();
  try {
    for (const variant of variants)
      servers.set(variant, await startEdgeServer(variant, { wrap: ['taskset', '-c', '0'] }));
    const at = (variant: string) => servers.get(variant) as EdgeServer;
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
    for (const server of servers.values()) server.close();
  }
}

await main();
