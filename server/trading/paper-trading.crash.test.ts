import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../core/kernel/index.js';
import {
  type PulseSession,
  pulseApi as api,
  readBooks,
  readyPulse as ready,
  requireBuilt,
  servePulse,
  setupPulseOwner,
} from '../testing/pulse-process.js';
import { booksFromFills } from '../testing/books.js';

// Runs the built server (`npm run build` first, as cli/pulse.process.test.ts does), kills it with
// SIGKILL in the middle of a burst of orders, restarts it on the same DATA_DIR and audits the books.
const serve = (dataDir: string) => servePulse({ DATA_DIR: dataDir, SIM_START: '2024-03-12T14:30:00Z' });

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
    requireBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-crash-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged order and books positions and cash exactly from the fills', async () => {
    const first = serve(dataDir);
    const url = await first.url;
    await ready(url);
    const session: PulseSession = await setupPulseOwner(url);

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
      const books = await readBooks(url2, session);
      const { fills } = books;
      expect(new Set(fills.map((f) => f.id)).size).toBe(fills.length);
      const expected = booksFromFills(fills, new Money(100_000));
      expect(books.cash).toBe(expected.cash);
      expect(Object.fromEntries(books.positions.map((p) => [p.symbol, p.qty]))).toEqual(expected.positions);
      for (const o of books.orders) expect(o.filled_qty, o.id).toBe(expected.filledQty(o.id));
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
