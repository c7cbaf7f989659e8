import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '../../core/market-data/index.js';
import { SqlSignalStore } from '../adapters/db/sql-signal-store.js';
import { SqlUserStore } from '../adapters/db/sql-stores.js';
import { freshPostgres, type TestDatabase } from '../testing/databases.js';
import { LiveSignals } from './live-signals.js';
import type { FiringRecord, SignalRecord } from './signal-store.js';

// Two nodes' LiveSignals on one PostgreSQL database: each keeps its own copy of the enabled signals, and a
// change made through one node reaches the other only when it reconciles. Until then the other node still
// evaluates the old rule; what it may not do is act on it.

const MINUTE = 60_000;
const START = Date.parse('2024-03-12T14:30:00Z');
let database: TestDatabase;
let store: SqlSignalStore;
let userId: string;
/** Market time: the close of the latest bar fed. */
let clock = START;
/** What the nodes logged as failed: nothing may. */
const errors: string[] = [];

beforeAll(async () => {
  database = await freshPostgres();
  store = new SqlSignalStore(database.handle.db);
  userId = crypto.randomUUID();
  await new SqlUserStore(database.handle.db).insert({
    id: userId,
    email: 'signals@example.com',
    passwordHash: 'x',
    role: 'trader',
  });
});

afterEach(() => {
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await database.dispose();
});

/** A node: its LiveSignals, with what its sinks were given and the orders it placed. */
function node(name: string) {
  const delivered: FiringRecord[] = [];
  const placed: string[] = [];
  const live = new LiveSignals({
    store,
    history: { source: 'sim', bars: async () => [], now: () => clock },
    market: { subscribe: () => () => undefined },
    now: () => clock,
    log: (error, message) => errors.push(`${message}: ${String(error)}`),
    sinks: [{ deliver: async (firing) => void delivered.push(firing) }],
    placeOrder: async (_user, request) => {
      placed.push(request.clientOrderId ?? '');
      return { id: `${name}-${placed.length}` };
    },
  });
  return { live, delivered, placed };
}

/** The 1Min AAPL bar of `minute` minutes after START; the clock moves to its close. */
function bar(minute: number, close: number): Bar {
  const t = START + minute * MINUTE;
  clock = Math.max(clock, t + MINUTE);
  return {
    symbol: 'AAPL',
    t,
    o: close,
    h: close,
    l: close,
    c: close,
    v: 1_000,
    n: 10,
    vw: close,
    extended: false,
  };
}

async function newSignal(name: string, source: string): Promise<SignalRecord> {
  const now = new Date();
  const record: SignalRecord = {
    id: crypto.randomUUID(),
    userId,
    name,
    source,
    symbols: ['AAPL'],
    timeframe: '1Min',
    mode: 'every_time',
    cooldownBars: 0,
    expiresAt: null,
    actions: { notify: [], order: { side: 'buy', qty: '1' } },
    enabled: true,
    createdAt: now,
    updatedAt: now,
  };
  await store.insert(record);
  return record;
}

describe('LiveSignals on several nodes', () => {
  it('a node that missed a disable stores, notifies and places nothing for the old rule, and drops it on reconcile', async () => {
    const signal = await newSignal('always', 'close > 0');
    const a = node('a');
    const b = node('b');
    await a.live.start();
    await b.live.start();
    // Both nodes run the signal: a bar fires it once in all (one firing row, one delivery, one order).
    await Promise.all([a.live.onBars([bar(0, 100)]), b.live.onBars([bar(0, 100)])]);
    expect(a.delivered.length + b.delivered.length).toBe(1);
    expect([...a.placed, ...b.placed]).toHaveLength(1);

    // Disabled through node A: node B has not heard of it yet and still evaluates the rule.
    const disabled = await store.update(userId, signal.id, { enabled: false }, false);
    await a.live.upsert(disabled!);
    await b.live.onBars([bar(1, 101)]);
    expect(b.delivered.map((f) => f.barTime)).not.toContain(bar(1, 101).t);
    expect(b.placed).not.toContain(`signal:${signal.id}:AAPL:${bar(1, 101).t}`);
    expect(await store.listFirings(userId, signal.id, { limit: 10 })).toHaveLength(1);

    await b.live.reconcile();
    expect(b.live.engine.size().subscriptions).toBe(0);
    await a.live.stop();
    await b.live.stop();
  });

  it('a node that missed an edit does not act on the old rule, and runs the new one after reconciling', async () => {
    const signal = await newSignal('above 150', 'close > 150');
    const a = node('a');
    const b = node('b');
    await a.live.start();
    await b.live.start();
    // Edited through node A so that it fires below 150; node B still has "above 150", which a 200 close fires.
    const edited = await store.update(userId, signal.id, { source: 'close < 150' }, true);
    await a.live.upsert(edited!);
    await b.live.onBars([bar(10, 200)]);
    expect(b.delivered).toEqual([]);
    expect(await store.listFirings(userId, signal.id, { limit: 10 })).toEqual([]);

    await b.live.reconcile();
    await b.live.onBars([bar(11, 100)]);
    expect(b.delivered.map((f) => [f.signalId, f.barTime])).toEqual([[signal.id, bar(11, 100).t]]);
    await a.live.stop();
    await b.live.stop();
  });

  it('a signal created through another node starts on this one at the next reconcile', async () => {
    const b = node('b');
    await b.live.start();
    const before = b.live.engine.size().subscriptions;
    const created = await newSignal('created elsewhere', 'close > 0');
    await b.live.onBars([bar(20, 100)]);
    expect(b.delivered.filter((f) => f.signalId === created.id)).toEqual([]);

    await b.live.reconcile();
    expect(b.live.engine.size().subscriptions).toBe(before + 1);
    await b.live.onBars([bar(21, 100)]);
    expect(b.delivered.filter((f) => f.signalId === created.id).map((f) => f.barTime)).toEqual([
      bar(21, 100).t,
    ]);
    await b.live.stop();
  });
});
