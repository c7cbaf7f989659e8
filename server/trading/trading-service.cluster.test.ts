import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, Money } from '../../core/kernel/index.js';
import type { NewOrderRequest } from '../../core/trading/index.js';
import { SqlUserStore } from '../adapters/db/sql-stores.js';
import { SqlTradingStore } from '../adapters/db/sql-trading-store.js';
import { AppError } from '../errors.js';
import { type TestDatabase, freshPostgres } from '../testing/databases.js';
import {
  type PaperNode,
  TestMarket,
  databaseUrlOf,
  startPaperNode,
  testRedisPrefix,
} from '../testing/paper-nodes.js';
import type { OwnerLock } from './paper-cluster.js';

// Two Pulse nodes on one PostgreSQL database and one Redis, matching against one market whose prints the
// test makes: only the owner matches; the other forwards, relays updates, and takes over when it must.
type Node = PaperNode;

async function eventually<T>(
  read: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const limitBuy = (clientOrderId: string, limitPrice = '100'): NewOrderRequest => ({
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  timeInForce: 'gtc',
  qty: '10',
  limitPrice,
  clientOrderId,
});

async function refusalOf(
  promise: Promise<unknown>,
): Promise<{ name: string; code: string; message: string }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { name: error.name, code: error.code, message: error.message };
}

describe('TradingService on several nodes', () => {
  let database: TestDatabase;
  let databaseUrl: string;
  let store: SqlTradingStore;
  let market: TestMarket;
  let prefix: string;
  const nodes: Node[] = [];

  beforeAll(async () => {
    database = await freshPostgres();
    databaseUrl = await databaseUrlOf(database);
    store = new SqlTradingStore(database.handle.db);
  });

  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.stop();
    await sql`truncate trading_accounts cascade`.execute(database.handle.db);
    await sql`select pg_advisory_unlock_all()`.execute(database.handle.db);
  });

  afterAll(async () => {
    await database.dispose();
  });

  async function newUser(): Promise<string> {
    const id = crypto.randomUUID();
    await new SqlUserStore(database.handle.db).insert({
      id,
      email: `${id}@example.com`,
      passwordHash: 'h',
      role: 'trader',
    });
    return id;
  }

  async function startNode(lock?: OwnerLock, timeoutMs?: number): Promise<Node> {
    const node = await startPaperNode({
      database,
      databaseUrl,
      market,
      prefix,
      ...(lock && { lock }),
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
    nodes.push(node);
    return node;
  }

  /** Two nodes, the first the owner; the market has a quote and a print for AAPL. */
  async function twoNodes(): Promise<{ owner: Node; follower: Node; userId: string }> {
    prefix = testRedisPrefix();
    market = new TestMarket();
    market.quote('AAPL', 100.5, 100.6);
    market.print('AAPL', 100.55);
    const owner = await startNode();
    const follower = await startNode();
    expect(owner.trading.isOwner).toBe(true);
    expect(follower.trading.isOwner).toBe(false);
    return { owner, follower, userId: await newUser() };
  }

  it('fills an order placed through the follower exactly once, on the owner, and relays its updates', async () => {
    const { owner, follower, userId } = await twoNodes();
    expect(market.listeners.size).toBe(1);

    const placed = await (await follower.trading.tradingAccount(userId)).placeOrder(limitBuy('resting-1'));
    expect(placed.status).toBe('new');
    expect(placed.limitPrice).toBeInstanceOf(Money);
    const onOwner = await owner.trading.account(userId);
    expect(onOwner.engine.openOrders().map((o) => o.id)).toEqual([placed.id]);
    for (const node of [owner, follower]) {
      const seen = await (await node.trading.tradingAccount(userId)).getOrder(placed.id);
      expect(seen?.status).toBe('new');
      expect(seen?.clientOrderId).toBe('resting-1');
    }

    market.print('AAPL', 99.5);
    await eventually(() => follower.updates.some((u) => u.update.event === 'fill'));

    const fills = await store.fills(onOwner.id, { direction: 'asc', limit: 100 });
    expect(fills).toHaveLength(1);
    const fill = fills[0]!.fill;
    expect(fill.qty.toString()).toBe('10');
    const account = await follower.trading.tradingAccount(userId);
    const positions = await account.positions();
    expect(positions.map((p) => [p.symbol, p.qty.toString()])).toEqual([['AAPL', '10']]);
    const details = await account.details();
    expect(details.snapshot.cash.toString()).toBe(
      new Money(100_000).minus(fill.qty.times(fill.price)).minus(fill.commission).toString(),
    );
    expect((await account.getOrder(placed.id))?.status).toBe('filled');

    const events = (node: Node) =>
      node.updates.filter((u) => u.userId === userId).map((u) => `${u.update.event}:${u.update.order.id}`);
    expect(events(follower)).toEqual([`new:${placed.id}`, `fill:${placed.id}`]);
    expect(events(owner)).toEqual(events(follower));
    const relayed = follower.updates.find((u) => u.update.event === 'fill')?.update;
    expect(relayed?.price).toBeInstanceOf(Money);
    expect(relayed?.positionQty?.toString()).toBe('10');
  });

  it('refuses the commits of an owner that has not yet noticed a newer claim, and makes it resign', async () => {
    const { owner, userId } = await twoNodes();
    const resting = await (await owner.trading.tradingAccount(userId)).placeOrder(limitBuy('before-claim'));
    // Another node claims paper trading (as after taking a freed lock) before this owner hears of it.
    await store.claimOwnership();
    const refused: unknown = await (
      await owner.trading.tradingAccount(userId)
    )
      .placeOrder(limitBuy('after-claim'))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('SERVICE_NOT_READY');
    expect(owner.trading.isOwner).toBe(false);
    const accountId = (await store.listAccounts())[0]!.id;
    const stored = await store.orders(accountId).list({ status: 'all' });
    expect(stored.map((o) => o.clientOrderId)).toEqual([resting.clientOrderId]);
  });

  it('answers a refused order through the follower with the owner’s error and code', async () => {
    const { owner, follower, userId } = await twoNodes();
    const record = await follower.trading.configure(userId, {
      riskLimits: {
        ...(await follower.trading.paperRecord(userId)).riskLimits,
        maxOrderNotional: new Money(500),
      },
    });
    expect(record.riskLimits.maxOrderNotional?.toString()).toBe('500');
    expect((await owner.trading.account(userId)).record.riskLimits.maxOrderNotional?.toString()).toBe('500');

    const viaFollower = await follower.trading.tradingAccount(userId);
    const viaOwner = await owner.trading.tradingAccount(userId);
    const guarded = await refusalOf(viaFollower.placeOrder(limitBuy('too-big')));
    expect(guarded.code).toMatch(/^TRADING_/);
    expect(guarded).toEqual(await refusalOf(viaOwner.placeOrder(limitBuy('too-big-2'))));

    const invalid = { ...limitBuy('no-price'), limitPrice: null };
    const refused = await refusalOf(viaFollower.placeOrder(invalid));
    expect(refused).toEqual(await refusalOf(viaOwner.placeOrder(invalid)));

    const missing = await refusalOf(viaFollower.cancelOrder(crypto.randomUUID()));
    expect(missing.code).toBe('TRADING_ORDER_NOT_FOUND');
  });

  it('turns the kill switch on through the follower: the owner cancels every open order', async () => {
    const { owner, follower, userId } = await twoNodes();
    const placed = await (await follower.trading.tradingAccount(userId)).placeOrder(limitBuy('to-cancel'));

    expect(await follower.trading.setKillSwitch(true)).toBe(1);
    expect(follower.trading.killSwitch).toBe(true);
    expect(owner.trading.killSwitch).toBe(true);
    expect((await owner.trading.account(userId)).engine.openOrders()).toEqual([]);
    expect((await (await follower.trading.tradingAccount(userId)).getOrder(placed.id))?.status).toBe(
      'canceled',
    );
    await eventually(() => follower.updates.some((u) => u.update.event === 'canceled'));
    const refused = await refusalOf(
      (await follower.trading.tradingAccount(userId)).placeOrder(limitBuy('while-killed')),
    );
    expect(refused.code).toBe('TRADING_KILL_SWITCH_ACTIVE');
    await owner.trading.setKillSwitch(false);
    await eventually(() => follower.trading.killSwitch === false);
  });

  it('fails over when the owner stops: the follower loads the resting order and fills it', async () => {
    const { owner, follower, userId } = await twoNodes();
    const placed = await (await follower.trading.tradingAccount(userId)).placeOrder(limitBuy('failover'));

    await owner.stop();
    const stoppedAt = Date.now();
    await eventually(() => follower.trading.isOwner, 3_000);
    const takeover = Date.now() - stoppedAt;
    expect(takeover).toBeLessThan(1_000);
    console.info(`takeover after the owner stopped: ${takeover} ms`);
    expect(market.listeners.size).toBe(1);

    market.print('AAPL', 99.5);
    const account = await follower.trading.tradingAccount(userId);
    await eventually(async () => (await account.getOrder(placed.id))?.status === 'filled');
    const fills = await store.fills((await follower.trading.account(userId)).id, {
      direction: 'asc',
      limit: 10,
    });
    expect(fills).toHaveLength(1);
  });

  it('stops matching at once when the owner’s lock connection dies; one node fills, once', async () => {
    const { owner, follower, userId } = await twoNodes();
    const placed = await (await owner.trading.tradingAccount(userId)).placeOrder(limitBuy('split-brain'));
    const lost = 'paper trading: this node is no longer the owner';

    // The owner's lock session is killed (a network cut, a failover of PostgreSQL).
    await sql`select pg_terminate_backend(pid) from pg_locks
      where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`.execute(
      database.handle.db,
    );
    await eventually(() => owner.logs.includes(lost), 2_000);
    // Either node may win the freed lock (the old owner reloads from the database if it does); never both.
    const next = await eventually(() => [owner, follower].find((n) => n.trading.isOwner), 3_000);
    expect([owner, follower].filter((n) => n.trading.isOwner)).toHaveLength(1);
    expect(market.listeners.size).toBe(1);

    market.print('AAPL', 99.5);
    for (const node of [owner, follower]) {
      const account = await node.trading.tradingAccount(userId);
      await eventually(async () => (await account.getOrder(placed.id))?.status === 'filled');
    }
    const fills = await store.fills((await next.trading.account(userId)).id, { direction: 'asc', limit: 10 });
    expect(fills).toHaveLength(1);
    for (const node of [owner, follower])
      await eventually(() => node.updates.filter((u) => u.update.event === 'fill').length === 1);
    expect(follower.updates.filter((u) => u.update.event === 'fill')).toHaveLength(1);
  });

  it('answers SERVICE_NOT_READY within the timeout when no node owns paper trading', async () => {
    prefix = testRedisPrefix();
    market = new TestMarket();
    const never: OwnerLock = {
      acquire: async () => false,
      onLost: () => () => undefined,
      release: async () => undefined,
    };
    const node = await startNode(never, 300);
    const userId = await newUser();
    const started = Date.now();
    const error: unknown = await (
      await node.trading.tradingAccount(userId)
    )
      .placeOrder(limitBuy('nobody'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'SERVICE_NOT_READY' });
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(node.trading.paperRecord(userId)).rejects.toMatchObject({ code: 'SERVICE_NOT_READY' });
  });
});
