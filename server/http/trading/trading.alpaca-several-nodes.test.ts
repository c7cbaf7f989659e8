import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresOwnerLock } from '../../adapters/db/postgres-owner-lock.js';
import { SqlBrokerChoiceStore } from '../../adapters/db/sql-broker-choice-store.js';
import { SqlAuditLog } from '../../adapters/db/sql-stores.js';
import { AlpacaBroker } from '../../adapters/brokers/alpaca/index.js';
import { type TestDatabase, freshPostgres } from '../../testing/databases.js';
import {
  type PaperNode,
  TestMarket,
  databaseUrlOf,
  startPaperNode,
  testRedisPrefix,
} from '../../testing/paper-nodes.js';
import type { BrokerChoiceStore, BrokerKeys } from '../../trading/broker-connection.js';
import type { OwnerLock } from '../../trading/paper-cluster.js';
import { type SimHandle, startSim } from './testing/alpaca-fixture.js';
import { eventually, signedInUser } from './testing/trading-fixture.js';

// Two Pulse nodes on one PostgreSQL and one Redis, and users trading through their own Alpaca account (a
// `pulse sim`): both nodes hear every broker event on their own connection, the audit log records it once.
// The lock is checked once a minute and the owner's catch-up is every ten minutes, so a connection the owner
// opens during a test is the broadcast's doing.
const POLL_MS = 60_000;
const CATCH_UP_MS = 600_000;

/** Counts the calls to `usersOf` (the catch-up's query) on `store`. */
function countingUsersOf(store: BrokerChoiceStore): { store: BrokerChoiceStore; calls: () => number } {
  let calls = 0;
  return {
    store: {
      get: (userId) => store.get(userId),
      set: (userId, broker, at) => store.set(userId, broker, at),
      usersOf: (broker) => {
        calls += 1;
        return store.usersOf(broker);
      },
    },
    calls: () => calls,
  };
}

/** Counts the lock checks (one per poll) on `lock`. */
function countingChecks(lock: OwnerLock): { lock: OwnerLock; checks: () => number } {
  let checks = 0;
  return {
    lock: {
      acquire: () => {
        checks += 1;
        return lock.acquire();
      },
      onLost: (listener) => lock.onLost(listener),
      release: () => lock.release(),
    },
    checks: () => checks,
  };
}

describe('trading through Alpaca on several nodes (against pulse sim)', () => {
  let database: TestDatabase;
  let sim: SimHandle;
  let audit: SqlAuditLog;
  let choices: SqlBrokerChoiceStore;
  const keys = new Map<string, BrokerKeys>();
  /** The key ids of the broker connections each node opened. */
  const connected = { owner: [] as string[], follower: [] as string[], alone: [] as string[] };
  /** The key ids of the broker connections each node closed. */
  const closed = { owner: [] as string[], follower: [] as string[], alone: [] as string[] };
  let owner: PaperNode;
  let follower: PaperNode;
  const started: PaperNode[] = [];

  const brokersOf = (node: keyof typeof connected, store: BrokerChoiceStore = choices) => ({
    choices: store,
    keys: async (userId: string) => keys.get(userId),
    audit,
    catchUpMs: CATCH_UP_MS,
    connect: (brokerKeys: BrokerKeys, events: { unauthorized: () => void }) => {
      const broker = new AlpacaBroker({
        rest: {
          baseUrl: sim.origin,
          keyId: brokerKeys.keyId,
          secretKey: brokerKeys.secretKey,
          timeoutMs: 5_000,
        },
        stream: {
          url: `${sim.origin.replace('http', 'ws')}/stream`,
          backoff: { baseMs: 50, maxMs: 200 },
          heartbeatMs: 1_000,
        },
        now: () => sim.clock.now(),
        onUnauthorized: events.unauthorized,
      });
      connected[node].push(brokerKeys.keyId);
      return {
        broker,
        now: () => sim.clock.now(),
        start: () => broker.start(),
        stop: () => {
          closed[node].push(brokerKeys.keyId);
          broker.stop();
        },
      };
    },
  });

  /** A user with Alpaca keys saved (the sim accepts any). */
  const trader = async (keyId: string) => {
    const user = await signedInUser(database.handle.db, 'trader');
    keys.set(user.id, { keyId, secretKey: `${keyId}-secret`, scope: 'paper' });
    return user;
  };

  /** Buys 1 AAPL at market through the follower; resolves with the order's id once the sim filled it. */
  const buyThroughFollower = async (userId: string, keyId: string) => {
    const order = await (
      await follower.trading.tradingAccount(userId)
    ).placeOrder({
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      timeInForce: 'day',
      qty: '1',
    });
    await eventually(async () => {
      const held = await sim.sim.accounts.forKey(keyId).broker.getOrder(order.id);
      return held?.status === 'filled' ? true : undefined;
    });
    return order.id;
  };

  /** The detail of every audit row of `action` about the order, once the nodes have had time to write theirs. */
  const auditedOf = async (userId: string, action: string, orderId: string) => {
    const read = async () =>
      (await audit.list({ actorId: userId, action, limit: 50 }))
        .map((r) => JSON.parse(r.detail) as Record<string, unknown>)
        .filter((d) => d.orderId === orderId);
    await eventually(async () => ((await read()).length > 0 ? true : undefined));
    // A second node's row, if any, lands within a few milliseconds of the first.
    await new Promise((r) => setTimeout(r, 300));
    return read();
  };

  beforeAll(async () => {
    database = await freshPostgres();
    audit = new SqlAuditLog(database.handle.db);
    choices = new SqlBrokerChoiceStore(database.handle.db);
    sim = await startSim();
    for (let i = 0; i < 10; i += 1) {
      sim.clock.advance(200);
      await new Promise((r) => setTimeout(r, 30));
    }
  });

  afterAll(async () => {
    for (const node of started.reverse()) await node.stop();
    await sim.sim.close();
    await database.dispose();
  });

  it('audits a broker order placed and filled once, though both nodes hear it', async () => {
    const alice = await trader('PKALICE00001');
    // Chosen before the nodes start: each opens its connection to Alice's account at start.
    await choices.set(alice.id, 'alpaca', new Date());
    const databaseUrl = await databaseUrlOf(database);
    const prefix = testRedisPrefix();
    const market = new TestMarket();
    market.quote('AAPL', 100, 100.1);
    owner = await startPaperNode({
      database,
      databaseUrl,
      market,
      prefix,
      pollMs: POLL_MS,
      brokers: brokersOf('owner'),
    });
    follower = await startPaperNode({
      database,
      databaseUrl,
      market,
      prefix,
      pollMs: POLL_MS,
      brokers: brokersOf('follower'),
    });
    started.push(owner, follower);
    expect(owner.trading.isOwner).toBe(true);
    expect(follower.trading.isOwner).toBe(false);
    await Promise.all([owner.trading.brokersConnected(), follower.trading.brokersConnected()]);
    expect([connected.owner, connected.follower]).toEqual([['PKALICE00001'], ['PKALICE00001']]);

    const orderId = await buyThroughFollower(alice.id, 'PKALICE00001');
    const placed = await auditedOf(alice.id, 'order.placed', orderId);
    const filled = await auditedOf(alice.id, 'order.filled', orderId);
    expect(placed).toEqual([expect.objectContaining({ broker: 'alpaca', symbol: 'AAPL', side: 'buy' })]);
    expect(filled).toEqual([expect.objectContaining({ broker: 'alpaca', symbol: 'AAPL', qty: '1' })]);
  });

  it('audits the orders of a user who chose Alpaca through the follower once, on the owner', async () => {
    const bob = await trader('PKBOB0000002');
    await follower.trading.chooseBroker(bob.id, 'alpaca', new Date());
    // The owner opens Bob's connection on its own, as soon as the follower's broadcast reaches it (no lock
    // check nor catch-up comes in the meantime): it audits his broker's events.
    await eventually(async () => (connected.owner.includes('PKBOB0000002') ? true : undefined), 2_000);
    // Resolves once the owner's stream of Bob's account listens.
    await owner.trading.tradingAccount(bob.id);

    const orderId = await buyThroughFollower(bob.id, 'PKBOB0000002');
    expect(await auditedOf(bob.id, 'order.filled', orderId)).toHaveLength(1);
    expect(await auditedOf(bob.id, 'order.placed', orderId)).toHaveLength(1);
    expect(await audit.list({ actorId: bob.id, action: 'trading.account_chosen', limit: 10 })).toHaveLength(
      1,
    );
  });

  it('closes the owner’s connection of a user who went back to paper through the follower', async () => {
    const carol = await trader('PKCAROL00003');
    await follower.trading.chooseBroker(carol.id, 'alpaca', new Date());
    await eventually(async () => (connected.owner.includes('PKCAROL00003') ? true : undefined), 2_000);
    expect((await owner.trading.tradingAccount(carol.id)).broker).toBe('alpaca');

    await follower.trading.chooseBroker(carol.id, 'paper', new Date());
    // Well before the owner's cached choice (5 s) would have told it.
    await eventually(async () => (closed.owner.includes('PKCAROL00003') ? true : undefined), 2_000);
    expect((await owner.trading.tradingAccount(carol.id)).broker).toBe('paper');
  });

  it('closes the owner’s connection of a user whose keys were deleted through the follower', async () => {
    const erin = await trader('PKERIN000005');
    await follower.trading.chooseBroker(erin.id, 'alpaca', new Date());
    await eventually(async () => (connected.owner.includes('PKERIN000005') ? true : undefined), 2_000);

    keys.delete(erin.id);
    // Without keys Erin is back on paper, and the follower announces it.
    await follower.trading.brokerKeysChanged(erin.id, new Date());
    await eventually(async () => (closed.owner.includes('PKERIN000005') ? true : undefined), 2_000);
    expect((await owner.trading.brokerChoice(erin.id)).broker).toBe('paper');
  });

  describe('the owner’s catch-up', () => {
    let alone: TestDatabase;
    let node: PaperNode | undefined;

    beforeAll(async () => {
      alone = await freshPostgres();
    });

    afterEach(async () => {
      await node?.stop();
      node = undefined;
    });

    afterAll(async () => {
      await alone.dispose();
    });

    const startAlone = async (pollMs: number, catchUpMs: number) => {
      const counted = countingUsersOf(new SqlBrokerChoiceStore(alone.handle.db));
      const lock = countingChecks(new PostgresOwnerLock(await databaseUrlOf(alone)));
      node = await startPaperNode({
        database: alone,
        databaseUrl: await databaseUrlOf(alone),
        market: new TestMarket(),
        prefix: testRedisPrefix(),
        lock: lock.lock,
        pollMs,
        brokers: { ...brokersOf('alone', counted.store), catchUpMs },
      });
      expect(node.trading.isOwner).toBe(true);
      return { node, usersOf: counted.calls, checks: lock.checks };
    };

    it('checks the lock at every poll without asking who chose Alpaca each time', async () => {
      const { usersOf, checks } = await startAlone(50, 30_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(checks()).toBeGreaterThanOrEqual(10);
      // Once at start and once on becoming the owner; the next catch-up is 30 s away.
      expect(usersOf()).toBeLessThanOrEqual(2);
    });

    it('opens, at its next catch-up, the connection of a user whose choice it heard no broadcast of', async () => {
      await startAlone(50, 300);
      const dave = await signedInUser(alone.handle.db, 'trader');
      keys.set(dave.id, { keyId: 'PKDAVE000004', secretKey: 'PKDAVE000004-secret', scope: 'paper' });
      // Chosen straight in the database: no node announced it.
      await new SqlBrokerChoiceStore(alone.handle.db).set(dave.id, 'alpaca', new Date());
      await eventually(async () => (connected.alone.includes('PKDAVE000004') ? true : undefined), 2_000);
    });
  });
});
