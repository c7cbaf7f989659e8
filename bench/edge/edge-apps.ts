// The routes every edge benchmark drives, the options they share, and, for the in-process tools (edge-profile.ts,
// edge-cost.ts), the two apps in one process over one database: "on" is the production edge and "off" has every
// optional layer off (edge-server.ts's variants `all` and `off`). The client is an API bot with a bearer token
// (inject() has no browser, so the owner, the token and a watchlist are made through the edge-off app).
// The benchmarks run each app in a process of its own instead (edge-server.ts), as production does.
import type { TestDatabase } from '../../server/testing/databases.js';
import { createTestApp, type TestApp } from '../../server/testing/test-app.js';
import { edgeOf, layersOf, setUpBot } from './edge-server.js';

/** One benchmarked request: a GET, or a POST with a JSON body. */
export interface EdgeRoute {
  name: string;
  path: string;
  body?: string;
}

/** The apps with the edge on and off, the bot's token, and the routes (ids filled in). */
export interface EdgeApps {
  on: TestApp;
  off: TestApp;
  token: string;
  routes: readonly EdgeRoute[];
  close(): Promise<void>;
}

/** Production's cadence (the sim feed every 250 ms, accounts every second), not the tests' fast one. */
const PRODUCTION_CADENCE = { cadence: { feedTickMs: 250, tradingTickMs: 1_000 } };

/** The routes the benchmarks drive; `{watchlist}` stands for the id of a watchlist the server made. */
export const EDGE_ROUTES: readonly EdgeRoute[] = [
  // In memory: the edge's share of the work is largest here.
  { name: 'clock', path: '/api/v1/clock' },
  { name: 'assets search', path: '/api/v1/assets?search=tech' },
  // One database read.
  { name: 'watchlists', path: '/api/v1/watchlists' },
  // A small JSON POST the firewall inspects (the symbol is already there: one read, nothing written).
  { name: 'add symbol (POST)', path: '/api/v1/watchlists/{watchlist}/symbols', body: '{"symbol":"AAPL"}' },
];

/** Headers every benchmarked request carries (plus content-type on a POST). */
export function botHeaders(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'user-agent': 'pulse-bench/1.0 (trading bot)',
  };
}

/**
 * Builds both apps over a fresh PGlite database, or over `database` (the caller disposes of it), with the owner's
 * token and a watchlist made.
 */
export async function startEdgeApps(database?: TestDatabase): Promise<EdgeApps> {
  const off = await createTestApp(edgeOf(layersOf('off')), {
    ...(database && { database }),
    ...PRODUCTION_CADENCE,
  });
  const { token, watchlist } = await setUpBot(off);
  const on = await createTestApp(edgeOf(layersOf('all')), { database: off.database, ...PRODUCTION_CADENCE });
  return {
    on,
    off,
    token,
    routes: EDGE_ROUTES.map((route) => ({ ...route, path: route.path.replace('{watchlist}', watchlist) })),
    close: async () => {
      await on.close();
      await off.close(); // owns the database
    },
  };
}

/** The value at quantile `q` (0–1) of `values`: the nearest rank, no interpolation. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round((sorted.length - 1) * q)] ?? Number.NaN;
}

/** A command-line option's value (`--name value`), or `fallback` when it is not given. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

/**
 * The options the per-variant tools (edge-layers.ts, edge-instructions.ts) share: the route, the JSON body to POST
 * (`--post`; a GET without it), and the variants, always led by `off`, which every other is measured against.
 */
export function variantOptions(defaultVariants: string): {
  route: string;
  post?: string;
  variants: string[];
} {
  const post = option('post', '');
  return {
    route: option('route', '/api/v1/clock'),
    ...(post !== '' && { post }),
    variants: [
      'off',
      ...option('variants', defaultVariants)
        .split(',')
        .filter((v) => v !== 'off'),
    ],
  };
}
