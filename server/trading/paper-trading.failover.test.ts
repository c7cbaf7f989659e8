import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../core/kernel/index.js';
import { databaseUrlOf } from '../testing/paper-nodes.js';
import { freshPostgres, type TestDatabase } from '../testing/databases.js';
import {
  type PulseProcess,
  type PulseSession,
  pulseApi,
  readBooks,
  readyPulse,
  requireBuilt,
  servePulse,
  setupPulseOwner,
} from '../testing/pulse-process.js';
import { booksFromFills } from '../testing/books.js';

// Two built `pulse serve` nodes on one PostgreSQL database and one Redis. Orders go to both while the
// owner of paper trading is killed with SIGKILL; the other node takes over. Afterwards every acknowledged
// order is stored once, no fill is applied twice, and positions and cash are exactly what the fills say.

/** A Redis database of this test's own, so its queues never meet another test's. */
const REDIS_URL = 'redis://127.0.0.1:6379/7';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA'];

/**
 * Market orders (filled at once), limits far under the market (never filled) and limits just under the
 * ask, which rest and fill when the market trades down through them: often on the node that took over,
 * for orders the killed node placed.
 */
const orderFor = (n: number, asks: ReadonlyMap<string, number>) => {
  const symbol = SYMBOLS[n % 3] ?? 'AAPL';
  const near = ((asks.get(symbol) ?? 1) * (1 - 0.0005 * (1 + (n % 5)))).toFixed(2);
  if (n % 4 === 3)
    return { symbol, side: 'buy', type: 'limit', time_in_force: 'gtc', qty: '1', limit_price: '1.00' };
  if (n % 4 === 1)
    return { symbol, side: 'buy', type: 'limit', time_in_force: 'gtc', qty: '1', limit_price: near };
  return { symbol, side: n % 5 === 4 ? 'sell' : 'buy', type: 'market', time_in_force: 'day', qty: '1' };
};

interface Node {
  process: PulseProcess;
  url: string;
}

describe('paper trading on two nodes survives SIGKILL of the owner', () => {
  let database: TestDatabase;
  const dirs: string[] = [];
  const nodes: Node[] = [];

  beforeAll(async () => {
    requireBuilt();
    database = await freshPostgres();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    redis.disconnect();
  });
  afterAll(async () => {
    for (const node of nodes) {
      node.process.child.kill('SIGKILL');
      await node.process.exit;
    }
    await database.dispose();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<Node> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-failover-'));
    dirs.push(dir);
    const process = servePulse({
      DATA_DIR: dir,
      DATABASE_URL: await databaseUrlOf(database),
      REDIS_URL,
      SIM_START: '2024-03-12T14:30:00Z',
    });
    const url = await process.url;
    await readyPulse(url);
    const node = { process, url };
    nodes.push(node);
    return node;
  }

  async function isOwner(node: Node): Promise<boolean> {
    const res = await fetch(`${node.url}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(
      () => undefined,
    );
    const body = (await res?.json().catch(() => undefined)) as
      { components?: Record<string, { detail?: string }> } | undefined;
    return Object.values(body?.components ?? {}).some((c) => c.detail === 'paper owner');
  }

  it('keeps every acknowledged order once and the books exact through a failover', async () => {
    const first = await start();
    const second = await start();
    expect(await isOwner(first)).toBe(true);
    expect(await isOwner(second)).toBe(false);
    const session: PulseSession = await setupPulseOwner(first.url);
    const { snapshots } = (await (
      await pulseApi(first.url, session, 'GET', `/api/v1/snapshots?symbols=${SYMBOLS.join(',')}`)
    ).json()) as { snapshots: Record<string, { latestQuote: { ap: number } | null }> };
    const asks = new Map(SYMBOLS.map((s) => [s, snapshots[s]?.latestQuote?.ap ?? 0]));
    expect([...asks.values()].every((ask) => ask > 0)).toBe(true);

    // client_order_id → order id, for every order a node acknowledged with 200.
    const acknowledged = new Map<string, string>();
    // Why the others were not: an HTTP status, `refused` (no connection: the killed node) or `timeout`.
    const refused = new Map<number | 'refused' | 'timeout', number>();
    // How long the second node took to answer each order after the kill (ms), to tell a slow new owner.
    const secondAfterKill: number[] = [];
    let killed = false;
    let next = 0;
    let running = true;
    const worker = async (index: number) => {
      // Each worker alternates between the nodes on its own turns: half the orders are forwarded to the owner, and
      // after the kill every worker keeps reaching the survivor. (Choosing by the shared order number let all six
      // workers fall into step on the dead node: 27 orders reached the survivor in 25 s, each answered in ~27 ms.)
      for (let turn = index; running; turn++) {
        const n = next++;
        const node = nodes[turn % 2]!;
        const clientOrderId = `failover-${n}`;
        const sent = performance.now();
        const res = await pulseApi(node.url, session, 'POST', '/api/v1/orders', {
          ...orderFor(n, asks),
          client_order_id: clientOrderId,
        }).catch((error: unknown) =>
          error instanceof Error && error.name === 'TimeoutError'
            ? ('timeout' as const)
            : ('refused' as const),
        );
        if (killed && node === second) secondAfterKill.push(performance.now() - sent);
        if (typeof res !== 'string' && res.status === 200)
          acknowledged.set(clientOrderId, ((await res.json()) as { id: string }).id);
        else {
          const why = typeof res === 'string' ? res : res.status;
          refused.set(why, (refused.get(why) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    /** The second node's answer times after the kill: count, median and slowest. */
    const secondTimes = () => {
      const sorted = [...secondAfterKill].sort((a, b) => a - b);
      const at = (q: number) => Math.round(sorted[Math.floor(q * (sorted.length - 1))] ?? 0);
      return `the second node answered ${sorted.length} orders after the kill, p50 ${at(0.5)} ms, slowest ${at(1)} ms`;
    };
    /** Waits for `done`, at most `ms`; a failure says what was awaited, what happened and what the nodes logged. */
    const waitUntil = async (what: string, ms: number, done: () => boolean | Promise<boolean>) => {
      const deadline = performance.now() + ms;
      while (!(await done())) {
        if (performance.now() > deadline) {
          running = false;
          throw new Error(
            `${what}: not within ${ms} ms; ${acknowledged.size} acknowledged, ` +
              `refused ${JSON.stringify(Object.fromEntries(refused))}; ${secondTimes()}\n` +
              nodes.map((node, i) => `node ${i + 1} logged:\n${node.process.log()}`).join('\n'),
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const workers = Array.from({ length: 6 }, (_, i) => worker(i));
    await waitUntil('40 orders acknowledged before the kill', 25_000, () => acknowledged.size >= 40);
    await new Promise((r) => setTimeout(r, Math.random() * 500));
    first.process.child.kill('SIGKILL');
    await first.process.exit;
    killed = true;
    const killedAt = acknowledged.size;
    const tookOver = performance.now();
    await waitUntil('the second node owning paper trading', 15_000, () => isOwner(second));
    const takeoverMs = performance.now() - tookOver;
    // Orders keep being acknowledged through the new owner.
    await waitUntil(
      '30 more orders acknowledged after the kill',
      25_000,
      () => acknowledged.size >= killedAt + 30,
    );
    running = false;
    await Promise.all(workers);
    // Nothing refused but connections to the dead node and 503s while no node owned trading.
    expect([...refused.keys()].filter((why) => why !== 'refused' && why !== 503)).toEqual([]);

    for (const [clientOrderId, id] of acknowledged) {
      const res = await pulseApi(
        second.url,
        session,
        'GET',
        `/api/v1/orders:by_client_order_id?client_order_id=${clientOrderId}`,
      );
      expect(res.status, clientOrderId).toBe(200);
      expect(((await res.json()) as { id: string }).id, clientOrderId).toBe(id);
    }
    const books = await readBooks(second.url, session);
    expect(new Set(books.fills.map((f) => f.id)).size).toBe(books.fills.length);
    const expected = booksFromFills(books.fills, new Money(100_000));
    expect(books.cash).toBe(expected.cash);
    expect(Object.fromEntries(books.positions.map((p) => [p.symbol, p.qty]))).toEqual(expected.positions);
    for (const order of books.orders) {
      expect(order.filled_qty, order.id).toBe(expected.filledQty(order.id));
      // No order filled past its quantity (a second owner filling it again would).
      if (order.qty !== null) expect(new Money(order.filled_qty).lte(order.qty), order.id).toBe(true);
    }
    console.info(
      `failover test: ${acknowledged.size} acknowledged (${killedAt} before the kill), ${books.fills.length} fills, ` +
        `new owner within ${Math.round(takeoverMs)} ms, refused while failing over: ${JSON.stringify(Object.fromEntries(refused))}; ${secondTimes()}`,
    );
  }, 90_000);
});
