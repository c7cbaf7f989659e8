import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../core/kernel/index.js';

// Runs the built server (`npm run build` first, as cli/pulse.process.test.ts does), kills it with
// SIGKILL in the middle of a burst of orders, restarts it on the same DATA_DIR and audits the books.
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/cli/pulse.js');

interface Server {
  child: ChildProcess;
  url: Promise<string>;
  exit: Promise<void>;
}

function serve(dataDir: string): Server {
  const child = spawn(process.execPath, [entry, 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SIM_START: '2024-03-12T14:30:00Z',
      RATE_LIMIT: 'off',
      BOT_DEFENCE: 'off',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      err += String(d);
      const found = /serving at (http:\/\/\S+)/.exec(err)?.[1];
      if (found) resolve(found);
    });
    child.on('exit', () => reject(new Error(`server exited: ${err}`)));
  });
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, url, exit };
}

async function ready(url: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not ready within 45 s');
}

interface Session {
  cookie: string;
  csrf: string;
}

function api(url: string, s: Session, method: string, pathname: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${pathname}`, {
    method,
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

const orderFor = (n: number) => {
  const symbol = ['AAPL', 'MSFT', 'NVDA'][n % 3] ?? 'AAPL';
  const side = n % 4 === 3 ? 'sell' : 'buy';
  return n % 5 === 4
    ? {
        symbol,
        side: 'buy',
        type: 'limit',
        time_in_force: 'gtc',
        qty: '1',
        limit_price: '1.00',
        client_order_id: `burst-${n}`,
      }
    : {
        symbol,
        side,
        type: 'market',
        time_in_force: 'day',
        qty: String(1 + (n % 3)),
        client_order_id: `burst-${n}`,
      };
};

describe('paper trading survives SIGKILL', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!fs.existsSync(entry)) throw new Error('dist/cli/pulse.js is missing: run `npm run build` first');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-crash-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged order and books positions and cash exactly from the fills', async () => {
    const first = serve(dataDir);
    const url = await first.url;
    await ready(url);
    const setup = await fetch(`${url}/api/v1/setup/owner`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery staple' }),
    });
    expect(setup.status).toBe(201);
    const session: Session = {
      cookie: (setup.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      csrf: ((await setup.json()) as { csrfToken: string }).csrfToken,
    };

    const acknowledged = new Map<string, string>();
    // One client, one order at a time: the order→ack latency of a lone trader.
    const lone: number[] = [];
    for (let n = 0; n < 20; n += 1) {
      const started = performance.now();
      const res = await api(url, session, 'POST', '/api/v1/orders', orderFor(n));
      lone.push(performance.now() - started);
      expect(res.status).toBe(200);
      acknowledged.set(`burst-${n}`, ((await res.json()) as { id: string }).id);
    }
    const latencies: number[] = [];
    let next = 20;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const n = next++;
        const started = performance.now();
        const res = await api(url, session, 'POST', '/api/v1/orders', orderFor(n)).catch(() => undefined);
        if (res?.status === 200) {
          latencies.push(performance.now() - started);
          acknowledged.set(`burst-${n}`, ((await res.json()) as { id: string }).id);
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Kill at a random moment once the burst is under way (15 more orders acknowledged).
    while (acknowledged.size < 35) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, Math.random() * 1_000));
    first.child.kill('SIGKILL');
    killed = true;
    await first.exit;
    await Promise.all(workers);
    expect(acknowledged.size).toBeGreaterThanOrEqual(35);

    const second = serve(dataDir);
    const url2 = await second.url;
    await ready(url2);
    try {
      for (const [cid, id] of acknowledged) {
        const res = await api(
          url2,
          session,
          'GET',
          `/api/v1/orders:by_client_order_id?client_order_id=${cid}`,
        );
        expect(res.status, cid).toBe(200);
        expect(((await res.json()) as { id: string }).id).toBe(id);
      }
      const fills: {
        id: string;
        symbol: string;
        side: string;
        qty: string;
        price: string;
        commission: string;
        order_id: string;
      }[] = [];
      for (let token: string | undefined; ;) {
        const page = (await (
          await api(
            url2,
            session,
            'GET',
            `/api/v1/activities?direction=asc&page_size=100${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
          )
        ).json()) as typeof fills;
        fills.push(...page);
        if (page.length < 100) break;
        token = page.at(-1)?.id;
      }
      expect(new Set(fills.map((f) => f.id)).size).toBe(fills.length);
      let cash = new Money(100_000);
      const held = new Map<string, Money>();
      const perOrder = new Map<string, Money>();
      for (const f of fills) {
        const value = new Money(f.qty).times(f.price);
        cash = (f.side === 'buy' ? cash.minus(value) : cash.plus(value)).minus(f.commission);
        const signed = f.side === 'buy' ? new Money(f.qty) : new Money(f.qty).negated();
        held.set(f.symbol, (held.get(f.symbol) ?? new Money(0)).plus(signed));
        perOrder.set(f.order_id, (perOrder.get(f.order_id) ?? new Money(0)).plus(f.qty));
      }
      const account = (await (await api(url2, session, 'GET', '/api/v1/account')).json()) as { cash: string };
      expect(account.cash).toBe(cash.toString());
      const positions = (await (await api(url2, session, 'GET', '/api/v1/positions')).json()) as {
        symbol: string;
        qty: string;
      }[];
      expect(Object.fromEntries(positions.map((p) => [p.symbol, p.qty]))).toEqual(
        Object.fromEntries([...held].filter(([, q]) => !q.isZero()).map(([s, q]) => [s, q.toString()])),
      );
      const orders = (await (
        await api(url2, session, 'GET', '/api/v1/orders?status=all&limit=500')
      ).json()) as { id: string; filled_qty: string }[];
      for (const o of orders)
        expect(o.filled_qty, o.id).toBe((perOrder.get(o.id) ?? new Money(0)).toString());
      const pct = (xs: number[], p: number) =>
        [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]?.toFixed(1);
      console.info(
        `crash test: ${acknowledged.size} acknowledged, ${fills.length} fills; order→ack alone p50 ${pct(lone, 0.5)} ms, ` +
          `under 8 concurrent clients p50 ${pct(latencies, 0.5)} ms, p95 ${pct(latencies, 0.95)} ms`,
      );
    } finally {
      second.child.kill('SIGTERM');
      await second.exit;
    }
  }, 60_000);
});
