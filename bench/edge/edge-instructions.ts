// The edge's cost in instructions: a figure the machine's noise cannot move. Each variant (the edge off, all of it,
// or any set of layers, as in edge-layers.ts) is a Pulse server in its own process, run under valgrind's callgrind,
// which counts the instructions the process executes whatever else the machine is doing. A client in this process
// sends each server the same fixed number of requests over keep-alive connections, first to warm it up (JIT, caches;
// counting off), then in samples, each ended by a callgrind dump whose total is that sample's instruction count.
//
// A server busy with one route serves requests at a rate inversely proportional to the work each costs, so
// `1 − instructions(off) / instructions(variant)` is the throughput the variant loses for its extra instructions.
// That figure leaves out what the kernel does per request (the same for both variants, so the real loss is a little
// smaller) and differences in instructions per cycle between the two (the requests/s of edge-layers.ts and
// edge.bench.ts hold those, with the noise). The market's timers are all but stopped in these servers: slowed down
// fifty-fold, its clockwork would otherwise fill the samples with work no request causes.
//
// Needs valgrind (Debian's `valgrind`, for callgrind and callgrind_control). Slow: about 20 s per thousand GETs of
// /api/v1/clock per sample and server, and about two minutes per thousand JSON POSTs. Prints JSON.
// Usage: npx tsx bench/edge/edge-instructions.ts [--route /api/v1/clock] [--post '{"symbol":"AAPL"}']
//        [--variants all] [--requests 2000] [--samples 5] [--warmup 24000]
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import nodePath from 'node:path';
import { botHeaders, option, quantile, variantOptions } from './edge-apps.js';
import { startEdgeServer } from './edge-server.js';

interface Server {
  variant: string;
  child: ChildProcess;
  pid: number;
  url: string;
  token: string;
  watchlist: string;
  /** Dumps already read, by file name. */
  seen: Set<string>;
  /** Keep-alive connections kept for the server's whole run: new sockets each sample would re-optimize code. */
  agent: http.Agent;
}

async function start(variant: string, outDir: string): Promise<Server> {
  const server = await startEdgeServer(variant, {
    wrap: [
      'valgrind',
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${nodePath.join(outDir, `${variant}.%p.out`)}`,
      // valgrind's own messages; the server's stderr stays this process's.
      `--log-file=${nodePath.join(outDir, `${variant}.%p.log`)}`,
    ],
    idleMarket: true,
  });
  const { pid } = server.child;
  if (pid === undefined) throw new Error(`${variant}: no pid`);
  return {
    variant,
    child: server.child,
    pid,
    url: server.url,
    token: server.token,
    watchlist: server.watchlist,
    seen: new Set(),
    agent: new http.Agent({ keepAlive: true, maxSockets: 4 }),
  };
}

function control(server: Server, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('callgrind_control', [...args, String(server.pid)], { timeout: 60_000 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

/** Sends exactly `count` requests over `connections` keep-alive connections; every answer must be a 2xx. */
async function send(server: Server, route: string, body: string | undefined, count: number): Promise<void> {
  const { agent } = server;
  const url = new URL(`${server.url}${route.replace('{watchlist}', server.watchlist)}`);
  const headers = {
    ...botHeaders(server.token),
    ...(body !== undefined && {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    }),
  };
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        url,
        { method: body === undefined ? 'GET' : 'POST', headers, agent, timeout: 120_000 },
        (response) => {
          response.resume();
          response.on('end', () =>
            (response.statusCode ?? 0) < 300
              ? resolve()
              : reject(new Error(`${server.variant} ${url.pathname}: status ${response.statusCode}`)),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${server.variant}: no answer in 120 s`)));
      request.on('error', reject);
      request.end(body);
    });
  const worker = async () => {
    while (next < count) {
      next += 1;
      await one();
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** A sample's instructions: all of them, and those of V8's optimizing compilers and of its garbage collector. */
interface Count {
  total: number;
  compiler: number;
  gc: number;
}

const COMPILER =
  /v8::internal::(compiler|maglev|baseline)::|OptimizedCompilationJob|OptimizingCompileDispatcher/;
const GC =
  /v8::internal::(Heap|Scavenger|MarkCompact|MinorMarkCompact|ConcurrentMarking|Marking|Sweeper|MemoryAllocator|PagedSpace|NewSpace|Evacuat|RememberedSet|SlotSet)|heap::base::|cppgc::|MarkingVisitor|MarkingState|Scaveng|Sweep/;

/** Splits a dump's instructions by function, with callgrind_annotate. */
function classify(file: string): Promise<Count> {
  return new Promise((resolve, reject) =>
    execFile(
      'callgrind_annotate',
      ['--inclusive=no', '--threshold=100', '--auto=no', file],
      { timeout: 120_000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return reject(error);
        const count: Count = { total: 0, compiler: 0, gc: 0 };
        for (const line of stdout.split('\n')) {
          const match = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
          if (!match?.[1] || match[2] === undefined || match[2].includes('PROGRAM TOTALS')) continue;
          const instructions = Number(match[1].replaceAll(',', ''));
          count.total += instructions;
          if (COMPILER.test(match[2])) count.compiler += instructions;
          else if (GC.test(match[2])) count.gc += instructions;
        }
        resolve(count);
      },
    ),
  );
}

/** Dumps the server's counters (which zeroes them) and returns what was counted since the last dump. */
async function dump(server: Server, outDir: string): Promise<Count> {
  await control(server, '--dump');
  const fresh = readdirSync(outDir).filter(
    (f) => f.startsWith(`${server.variant}.${server.pid}.out.`) && !server.seen.has(f),
  );
  if (fresh.length !== 1) throw new Error(`${server.variant}: expected one new dump, found ${fresh.length}`);
  const file = fresh[0] as string;
  server.seen.add(file);
  const totals = /^totals: (\d+)$/m.exec(readFileSync(nodePath.join(outDir, file), 'utf8'));
  const count = await classify(nodePath.join(outDir, file));
  // callgrind_annotate's per-function lines add up to the dump's total within a fraction of a per cent.
  if (!totals || Math.abs(Number(totals[1]) - count.total) > Number(totals[1]) * 0.01)
    throw new Error(`${file}: functions add up to ${count.total}, the dump's totals say ${totals?.[1]}`);
  return { ...count, total: Number(totals[1]) };
}

async function main(): Promise<void> {
  const { route, post: body, variants } = variantOptions('all');
  const requests = Number(option('requests', '2000'));
  const samples = Number(option('samples', '5'));
  // Under valgrind, V8 still optimizes functions for the first ~16,000 requests of a route (checked with --trace-opt).
  const warmup = Number(option('warmup', '24000'));
  const outDir = mkdtempSync(nodePath.join(os.tmpdir(), 'edge-instructions-'));
  const servers: Server[] = [];
  try {
    for (const variant of variants) servers.push(await start(variant, outDir));
    for (const server of servers) {
      await send(server, route, body, warmup);
      await control(server, '--instr=on');
      await send(server, route, body, Math.min(200, warmup)); // code translated anew once counting is on
      await dump(server, outDir);
      process.stderr.write(`edge instructions: ${server.variant} warm\n`);
    }
    const counts = new Map(variants.map((v) => [v, [] as Count[]]));
    for (let sample = 0; sample < samples; sample++) {
      for (const server of sample % 2 === 0 ? servers : [...servers].reverse()) {
        await send(server, route, body, requests);
        counts.get(server.variant)?.push(await dump(server, outDir));
      }
      process.stderr.write(`edge instructions: sample ${sample + 1}/${samples}\n`);
    }
    // Per request, over a sample: everything but the optimizing compilers (whose work is the warm-up's tail, and
    // tends to nothing in a long-running server), the compilers alone, and the garbage collector alone.
    const steady = (c: Count) => (c.total - c.compiler) / requests;
    const median = (variant: string, figure: (c: Count) => number) =>
      quantile((counts.get(variant) ?? []).map(figure), 0.5);
    const off = median('off', steady);
    const offTotal = median('off', (c) => c.total / requests);
    const pct = (x: number) => Math.round(x * 1000) / 10;
    const results = Object.fromEntries(
      variants.map((variant) => {
        const perRequest = (counts.get(variant) ?? []).map(steady);
        const mid = median(variant, steady);
        return [
          variant,
          {
            instructionsPerRequest: Math.round(mid),
            samples: perRequest.map(Math.round),
            spreadPct: pct((Math.max(...perRequest) - Math.min(...perRequest)) / mid),
            gcInstructionsPerRequest: Math.round(median(variant, (c) => c.gc / requests)),
            compilerInstructionsPerRequest: Math.round(median(variant, (c) => c.compiler / requests)),
            extraInstructionsPerRequest: Math.round(mid - off),
            throughputLossPct: pct(1 - off / mid),
            throughputLossWithCompilerPct: pct(1 - offTotal / median(variant, (c) => c.total / requests)),
          },
        ];
      }),
    );
    process.stdout.write(
      `${JSON.stringify({ route, ...(body !== undefined && { post: body }), requestsPerSample: requests, samples, warmup, variants: results, node: process.version }, null, 2)}\n`,
    );
  } finally {
    for (const server of servers) {
      server.agent.destroy();
      server.child.kill('SIGKILL');
    }
  }
}

await main();
