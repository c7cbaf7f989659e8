import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { BrokerKeys } from '../../trading/broker-connection.js';
import { type SimHandle, startSim } from './testing/alpaca-fixture.js';
import { eventually, signedInUser } from './testing/trading-fixture.js';

// Two Pulse nodes on one PostgreSQL and one Redis, and users trading through their own Alpaca account (a
// `pulse sim`): both nodes hear every broker event on their own connection, the audit log records it once.
describe('trading through Alpaca on several nodes (against pulse sim)', () => {
  let database: TestDatabase;
  let sim: SimHandle;
  let audit: SqlAuditLog;
  let choices: SqlBrokerChoiceStore;
  const keys = new Map<string, BrokerKeys>();
  /** The key ids of the broker connections each node opened. */
  const connected = { owner: [] as string[], follower: [] as string[] };
  let owner: PaperNode;
  let follower: PaperNode;
  const started: PaperNode[] = [];

  const brokersOf = (node: keyof typeof connected) => ({
    choices,
    keys: async (userId: string) => keys.get(userId),
    audit,
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
      return { broker, now: () => sim.clock.now(), start: () => broker.start(), stop: () => broker.stop() };
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
    owner = await startPaperNode({ database, databaseUrl, market, prefix, brokers: brokersOf('owner') });
    follower = await startPaperNode({
      database,
      databaseUrl,
      market,
      prefix,
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
    // The owner opens Bob's connection on its own: it audits his broker's events.
    await eventually(async () => (connected.owner.includes('PKBOB0000002') ? true : undefined));
    // Resolves once the owner's stream of Bob's account listens.
    await owner.trading.tradingAccount(bob.id);

    const orderId = await buyThroughFollower(bob.id, 'PKBOB0000002');
    expect(await auditedOf(bob.id, 'order.filled', orderId)).toHaveLength(1);
    expect(await auditedOf(bob.id, 'order.placed', orderId)).toHaveLength(1);
    expect(await audit.list({ actorId: bob.id, action: 'trading.account_chosen', limit: 10 })).toHaveLength(
      1,
    );
  });
});
