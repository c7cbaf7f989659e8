import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ActivityFill } from './books.js';

// The built server (`npm run build` first) as a child process, for tests that kill it: the crash and
// failover tests of paper trading.
const root = path.resolve(import.meta.dirname, '../..');
export const PULSE_ENTRY = path.join(root, 'dist/cli/pulse.js');

/** A running `pulse serve`: its origin once it listens, and its exit. */
export interface PulseProcess {
  child: ChildProcess;
  url: Promise<string>;
  exit: Promise<void>;
  /** The last 8 KB the server wrote to stderr (its warnings and errors), for a failing test to show. */
  log(): string;
}

/** Throws when the server has not been built. */
export function requireBuilt(): void {
  if (!fs.existsSync(PULSE_ENTRY)) throw new Error('dist/cli/pulse.js is missing: run `npm run build` first');
}

/** Starts `pulse serve` on a free loopback port with `env` (plus PATH, quiet logs, no rate limits). */
export function servePulse(env: Record<string, string>): PulseProcess {
  const child = spawn(process.execPath, [PULSE_ENTRY, 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      RATE_LIMIT: 'off',
      BOT_DEFENCE: 'off',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      err = (err + String(d)).slice(-8192);
      const found = /serving at (http:\/\/\S+)/.exec(err)?.[1];
      if (found) resolve(found);
    });
    child.on('exit', () => reject(new Error(`server exited: ${err}`)));
  });
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, url, exit, log: () => err };
}

/** Waits until /readyz answers 200; resolves with its body. */
export async function readyPulse(url: string, timeoutMs = 45_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.ok) return res.json();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

/** A signed-in browser: its session cookie and CSRF token. */
export interface PulseSession {
  cookie: string;
  csrf: string;
}

/** Creates the owner account on a fresh server and returns its session. */
export async function setupPulseOwner(url: string): Promise<PulseSession> {
  const setup = await fetch(`${url}/api/v1/setup/owner`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery staple' }),
  });
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
  return {
    cookie: (setup.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    csrf: ((await setup.json()) as { csrfToken: string }).csrfToken,
  };
}

/** One API call with the session. */
export function pulseApi(
  url: string,
  s: PulseSession,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${url}${pathname}`, {
    method,
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
}

/** What the books say through the API: every fill, the cash, the positions and every order's filled qty. */
export async function readBooks(url: string, s: PulseSession) {
  const fills: ActivityFill[] = [];
  for (let token: string | undefined; ;) {
    const query = `direction=asc&page_size=100${token ? `&page_token=${encodeURIComponent(token)}` : ''}`;
    const page = (await (
      await pulseApi(url, s, 'GET', `/api/v1/activities?${query}`)
    ).json()) as ActivityFill[];
    fills.push(...page);
    if (page.length < 100) break;
    token = page.at(-1)?.id;
  }
  const account = (await (await pulseApi(url, s, 'GET', '/api/v1/account')).json()) as { cash: string };
  const positions = (await (await pulseApi(url, s, 'GET', '/api/v1/positions')).json()) as {
    symbol: string;
    qty: string;
  }[];
  const orders = (await (await pulseApi(url, s, 'GET', '/api/v1/orders?status=all&limit=500')).json()) as {
    id: string;
    qty: string | null;
    filled_qty: string;
  }[];
  return { fills, cash: account.cash, positions, orders };
}
