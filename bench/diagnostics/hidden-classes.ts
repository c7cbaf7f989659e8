/**
 * Which code makes a new V8 hidden class (map) on every call while the server answers requests. In steady state a
 * server reuses the classes it has made: an object literal, a constructor or a cached transition adds no map. A site
 * that makes one per call (in Node 20's V8, a spread copy given a new field, `{ ...o, extra }`) costs a map and a
 * descriptor array per object, and makes every read of those objects megamorphic. The sites found and mended in
 * session 11 (orders, zod's encode context, the metrics labels, the account presenter) are in bench/README.md.
 *
 * The server runs in a child node with `--log-maps --log-code`: after a warm-up, every map the log records is a new
 * one. Each is attributed to the code object its creating instruction lies in, with the property it added.
 *
 *   npx tsx bench/diagnostics/hidden-classes.ts                       # every route below, 300 requests each
 *   npx tsx bench/diagnostics/hidden-classes.ts --routes clock,order --requests 1000
 *
 * The app is the production composition with the whole edge on and paper trading, on a fresh PGlite, listening on
 * 127.0.0.1; requests come from this child's own keep-alive client. The log is large (~60 KB per request): it is
 * written to a temporary folder and removed. Prints one JSON document.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { freshPglite } from '../../server/testing/databases.js';
import { createTestApp } from '../../server/testing/test-app.js';
import { edgeOf, layersOf, setUpBot } from '../edge/edge-server.js';

const ORDER =
  '{"symbol":"INTC","side":"buy","type":"limit","time_in_force":"day","qty":"1","limit_price":"1.00"}';
/** Route name → method, path (`{watchlist}` filled in) and body. */
const ROUTES: Record<string, readonly [string, string, string?]> = {
  clock: ['GET', '/api/v1/clock'],
  assets: ['GET', '/api/v1/assets?search=apple'],
  watchlists: ['GET', '/api/v1/watchlists'],
  'add-symbol': ['POST', '/api/v1/watchlists/{watchlist}/symbols', '{"symbol":"AAPL"}'],
  order: ['POST', '/api/v1/orders', ORDER],
  account: ['GET', '/api/v1/account'],
  orders: ['GET', '/api/v1/orders?status=all&limit=50'],
  positions: ['GET', '/api/v1/positions'],
  bars: ['GET', '/api/v1/bars?symbols=AAPL&timeframe=5Min&limit=200'],
  snapshots: ['GET', '/api/v1/snapshots?symbols=AAPL,MSFT'],
  history: ['GET', '/api/v1/portfolio/history'],
  me: ['GET', '/api/v1/auth/me'],
};

const Marker = z.object({
  measuredFromUs: z.number(),
  requests: z.number(),
  statuses: z.record(z.string(), z.number()),
});

/** The child: the app, a warm-up of every route, then `requests` rounds of them after a marker on stdout. */
async function drive(routes: readonly string[], requests: number): Promise<void> {
  const database = await freshPglite();
  // The owner, the token and a watchlist are made with the edge off (the bot defence refuses inject()).
  const setup = await createTestApp(edgeOf(new Set()), { database, trading: true });
  const { token, watchlist } = await setUpBot(setup);
  await setup.app.http.close();
  await setup.live.stop();
  const t = await createTestApp(edgeOf(layersOf('all')), { database, trading: true });
  await t.live.start();
  const origin = await t.app.http.listen({ host: '127.0.0.1', port: 0 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'user-agent': 'pulse-diagnostics/1.0',
  };
  // Built once: a `{ ...headers, 'content-type': … }` per request would itself make a class per call.
  const jsonHeaders = Object.assign({ 'content-type': 'application/json' }, headers);
  const statuses: Record<string, number> = {};
  const call = ([method, route, body]: readonly [string, string, string?]) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        origin + route.replace('{watchlist}', watchlist),
        {
          agent,
          method,
          headers: body ? jsonHeaders : headers,
          timeout: 10_000,
        },
        (response) => {
          const key = `${method} ${route} ${response.statusCode ?? 0}`;
          statuses[key] = (statuses[key] ?? 0) + 1;
          response.resume();
          response.on('end', resolve);
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
      request.end(body);
    });
  const round = async () => {
    for (const name of routes) await call(ROUTES[name] ?? ['GET', '/']);
  };
  for (let i = 0; i < Math.max(100, requests); i += 1) await round();
  for (const key of Object.keys(statuses)) delete statuses[key];
  // V8's log counts time from the isolate's start, as performance.now() does from the process's (close enough).
  const measuredFromUs = Math.round(performance.now() * 1000);
  for (let i = 0; i < requests; i += 1) await round();
  process.stdout.write(
    `${JSON.stringify({ measuredFromUs, requests: requests * routes.length, statuses })}\n`,
  );
  agent.destroy();
  await t.close();
}

/** The code object an instruction address lies in, from the log's code-creation events. */
class CodeMap {
  private starts: number[] = [];
  private entries: { start: number; size: number; name: string }[] = [];
  add(start: number, size: number, name: string): void {
    this.entries.push({ start, size, name });
  }
  seal(): void {
    this.entries.sort((a, b) => a.start - b.start);
    this.starts = this.entries.map((e) => e.start);
  }
  find(address: number): string {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] ?? 0) <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    const entry = this.entries[hi];
    return entry && address < entry.start + entry.size ? entry.name : '(unknown code)';
  }
}

/** Sites that made maps after `fromUs`, by code object and added property. */
async function analyse(logFile: string, fromUs: number): Promise<Map<string, number>> {
  const code = new CodeMap();
  const created: { pc: number; property: string }[] = [];
  for await (const line of createInterface({ input: createReadStream(logFile) })) {
    if (line.startsWith('code-creation,')) {
      // code-creation,<type>,<kind>,<time>,<start>,<size>,<name…>
      const fields = line.split(',');
      code.add(
        Number.parseInt(fields[4] ?? '', 16),
        Number(fields[5]),
        fields
          .slice(6)
          .join(',')
          .replace(/,0x[0-9a-f]+,[~*^+-]?$/, ''),
      );
    } else if (line.startsWith('map,Transition,')) {
      // map,Transition,<time>,<from>,<to>,<pc>,<line>,<column>,<reason>,<property>
      const fields = line.split(',');
      if (Number(fields[2]) < fromUs) continue;
      created.push({ pc: Number.parseInt(fields[5] ?? '', 16), property: fields.at(-1) ?? '' });
    }
  }
  code.seal();
  const sites = new Map<string, number>();
  for (const { pc, property } of created) {
    const site = `${code.find(pc).replace(/file:\/\/\/?[^ ]*?\/(node_modules|server|core|bench)\//, '$1/')} +${property}`;
    sites.set(site, (sites.get(site) ?? 0) + 1);
  }
  return sites;
}

async function main(argv: readonly string[]): Promise<void> {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const routes = (value('routes') ?? Object.keys(ROUTES).join(',')).split(',');
  const unknown = routes.filter((r) => !(r in ROUTES));
  if (unknown.length > 0)
    throw new Error(`unknown routes ${unknown.join(', ')}: one of ${Object.keys(ROUTES).join(', ')}`);
  const requests = Number(value('requests') ?? 300);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'pulse-maps-'));
  const logFile = path.join(folder, 'v8.log');
  try {
    const flags = ['--log-maps', '--log-code', `--logfile=${logFile}`, '--no-logfile-per-isolate'];
    const child = spawn(
      process.execPath,
      [
        ...flags,
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--drive',
        routes.join(','),
        String(requests),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the server's process exited with ${code}`);
    const marker = Marker.parse(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
    const sites = await analyse(logFile, marker.measuredFromUs);
    const total = [...sites.values()].reduce((a, b) => a + b, 0);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    process.stdout.write(
      `${JSON.stringify(
        {
          diagnostic: 'hidden-classes',
          routes,
          requests: marker.requests,
          statuses: marker.statuses,
          newMapsPerRequest: round(total / marker.requests),
          sites: [...sites]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 30)
            .map(([site, count]) => ({ site, count, perRequest: round(count / marker.requests) })),
          notes: [
            'After the warm-up, a server that reuses its hidden classes makes none per request: a site near 1 per request (or more) makes a class per call.',
            'A site is the code object holding the instruction that made the map, with the property it added; inlined code shows as its caller.',
          ],
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--drive') {
  await drive((argv[1] ?? '').split(','), Number(argv[2] ?? 300));
  process.exit(0);
} else {
  await main(argv);
}
