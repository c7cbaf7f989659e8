/**
 * History benchmark (issue "Market data", Benchmarks): one page of 10,000 1Min bars from
 * GET /api/v1/bars, median and p99 over N requests, on an app over PGlite and one over PostgreSQL
 * (127.0.0.1:5432, a fresh database each), by inject() and by a real HTTP request on loopback.
 * Baselines in the same run: the raw MarketSimulator.bars call, and readBars() (paging, no HTTP), so
 * the HTTP + validation + serialisation overhead is visible. Prints one JSON document.
 *
 *   npx tsx bench/history/history.ts            # full: 200 requests per measurement
 *   npx tsx bench/history/history.ts --quick    # smoke: 20 requests
 *   options: --requests N  --engines pglite,postgres
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MarketSimulator,
  parseTimeframe,
  type Timeframe,
  tradingDays,
} from '../../core/market-data/index.js';
import { readBars } from '../../server/market/bars-query.js';
import { freshPglite, freshPostgres, type TestDatabase } from '../../server/testing/databases.js';
import { createTestApp, IN_SESSION } from '../../server/testing/test-app.js';

const SYMBOL = 'AAPL';
const LIMIT = 10_000;
const WARMUP = 3;

export interface HistoryOptions {
  requests: number;
  engines: ('pglite' | 'postgres')[];
}

export function parseOptions(argv: readonly string[]): HistoryOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    requests: Number(value('requests') ?? (quick ? 20 : 200)),
    engines: (value('engines')?.split(',') as HistoryOptions['engines'] | undefined) ?? [
      'pglite',
      'postgres',
    ],
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Runs `fn` WARMUP + n times; median, p99, mean and min of the timed runs in ms. */
async function measure(n: number, fn: () => Promise<unknown> | unknown) {
  for (let i = 0; i < WARMUP; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    requests: n,
    medianMs: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    meanMs: round(times.reduce((a, b) => a + b, 0) / n),
    minMs: round(times[0] ?? 0),
  };
}

/** The trading day ~30 sessions before the test app's clock (2024-03-12), as YYYY-MM-DD. */
function startDate(): string {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const days = tradingDays(iso(IN_SESSION - 60 * 86_400_000), iso(IN_SESSION));
  const day = days.at(-31);
  if (!day) throw new Error('no trading days before the test clock');
  return day.date;
}

export async function runHistory(options: HistoryOptions) {
  const start = startDate();
  const url = `/api/v1/bars?symbols=${SYMBOL}&timeframe=1Min&start=${start}&limit=${LIMIT}`;
  const timeframe = parseTimeframe('1Min') as Timeframe;
  const startMs = Date.parse(`${start}T00:00:00Z`);

  // Baseline 1: the simulator alone, over exactly the window the page covers.
  const simulator = new MarketSimulator({ seed: 'test' });
  const probe = simulator.bars(SYMBOL, timeframe, startMs, IN_SESSION);
  const window = { from: startMs, to: (probe[LIMIT - 1]?.t ?? IN_SESSION) + 60_000 };
  const simulatorBaseline = await measure(options.requests, () =>
    simulator.bars(SYMBOL, timeframe, window.from, window.to),
  );

  const engines: Record<string, unknown> = {};
  for (const engine of options.engines) {
    let database: TestDatabase | undefined;
    try {
      database = engine === 'pglite' ? await freshPglite() : await freshPostgres();
    } catch (error) {
      engines[engine] = { error: `could not open ${engine}: ${String(error)}` };
      continue;
    }
    const t = await createTestApp({}, { database });
    try {
      const first = await t.app.http.inject({ method: 'GET', url });
      if (first.statusCode !== 200)
        throw new Error(`GET ${url} → ${first.statusCode}: ${first.body.slice(0, 300)}`);
      const body = first.json<{ bars: Record<string, unknown[]>; next_page_token: string | null }>();
      const bars = body.bars[SYMBOL]?.length ?? 0;
      // Baseline 2: paging over the app's own history (SimFeed), no HTTP.
      const readBarsOnly = await measure(options.requests, () =>
        readBars(
          {
            symbols: [SYMBOL],
            timeframe,
            timeframeText: '1Min',
            start: startMs,
            end: undefined,
            limit: LIMIT,
            pageToken: undefined,
            sort: 'asc',
          },
          t.feed,
        ),
      );
      const inject = await measure(options.requests, async () => {
        const res = await t.app.http.inject({ method: 'GET', url });
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      });
      const address = await t.app.http.listen({ host: '127.0.0.1', port: 0 });
      const http = await measure(options.requests, async () => {
        const res = await fetch(`${address}${url}`);
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        await res.arrayBuffer();
      });
      engines[engine] = {
        barsInPage: bars,
        responseBytes: first.rawPayload.length,
        hasNextPage: body.next_page_token !== null,
        readBarsNoHttp: readBarsOnly,
        inject,
        http,
      };
    } catch (error) {
      engines[engine] = { error: String(error) };
    } finally {
      await t.close();
      await database.dispose();
    }
  }

  return {
    benchmark: 'history',
    config: { ...options, url, warmup: WARMUP },
    machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => +x.toFixed(2)) },
    baseline: { simulatorBars: { ...simulatorBaseline, bars: LIMIT, window } },
    engines,
    notes: [
      'The sim computes bars from its trades on every request (no database read yet), so PGlite and PostgreSQL should measure the same; the database is opened only because the app needs one for sessions and settings.',
      'simulatorBars is MarketSimulator.bars over the page window; readBarsNoHttp adds paging (readBars over SimFeed, which fetches a little past the page to find the next token); inject adds routing, zod validation and JSON serialisation; http adds a real loopback socket (fetch).',
    ],
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runHistory(parseOptions(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
