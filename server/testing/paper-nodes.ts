import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Quote, Trade } from '../../core/market-data/index.js';
import type { TradeUpdate } from '../../core/trading/index.js';
import { PostgresOwnerLock } from '../adapters/db/postgres-owner-lock.js';
import { SqlTradingStore } from '../adapters/db/sql-trading-store.js';
import { RedisPaperBus } from '../adapters/redis/redis-paper-bus.js';
import type { MarketListener } from '../market/live-market.js';
import type { OwnerLock } from '../trading/paper-cluster.js';
import { TradingService, type TradingServiceOptions } from '../trading/trading-service.js';
import { TEST_POSTGRES_URL, type TestDatabase } from './databases.js';

/** The Redis server the scaled-mode tests use. */
export const TEST_REDIS_URL = process.env.PULSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The market instant of the paper-node tests: Tuesday 2024-03-12 10:30 ET (in session). */
export const PAPER_NOW = Date.parse('2024-03-12T14:30:00Z');

/** A market source several nodes share, whose quotes and prints the test makes; subscribers see them. */
export class TestMarket {
  readonly listeners = new Set<MarketListener>();
  private readonly trades = new Map<string, Trade>();
  private readonly quotes = new Map<string, Quote>();
  private seq = 0;

  subscribe(listener: MarketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  latestTrade(symbol: string): Trade | undefined {
    return this.trades.get(symbol);
  }

  latestQuote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }

  quote(symbol: string, bid: number, ask: number): void {
    const quote: Quote = {
      symbol,
      t: PAPER_NOW,
      bidPrice: bid,
      bidSize: 100,
      askPrice: ask,
      askSize: 100,
      bidExchange: 'V',
      askExchange: 'V',
      conditions: [],
      tape: 'C',
    };
    this.quotes.set(symbol, quote);
    for (const listener of this.listeners) listener([{ kind: 'quote', quote }]);
  }

  print(symbol: string, price: number, size = 1_000): void {
    const trade: Trade = {
      symbol,
      t: PAPER_NOW,
      price,
      size,
      id: ++this.seq,
      exchange: 'V',
      conditions: [],
      tape: 'C',
    };
    this.trades.set(symbol, trade);
    for (const listener of this.listeners) listener([{ kind: 'trade', trade }]);
  }
}

/** The connection string of a test PostgreSQL database (for the owner lock's own connection). */
export async function databaseUrlOf(database: TestDatabase): Promise<string> {
  const name = await sql<{ name: string }>`select current_database() as name`.execute(database.handle.db);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name.rows[0]?.name ?? ''}`;
  return url.toString();
}

/** A fresh Redis key prefix, so tests never share a queue. */
export function testRedisPrefix(): string {
  return `pulse:test:paper:${crypto.randomBytes(6).toString('hex')}:`;
}

/** One Pulse node's paper trading, as a scaled deployment runs it. */
export interface PaperNode {
  trading: TradingService;
  bus: RedisPaperBus;
  /** Every trade update this node's listeners heard. */
  updates: { userId: string; update: TradeUpdate }[];
  /** Every message the node logged. */
  logs: string[];
  stop(): Promise<void>;
}

/** Starts a node's TradingService on `database` and Redis under `prefix`, owner or not as the lock decides. */
export async function startPaperNode(options: {
  database: TestDatabase;
  databaseUrl: string;
  market: TestMarket;
  prefix: string;
  lock?: OwnerLock;
  pollMs?: number;
  timeoutMs?: number;
  /** Users' own brokers (Alpaca); omitted: every user trades on paper. */
  brokers?: TradingServiceOptions['brokers'];
}): Promise<PaperNode> {
  const bus = new RedisPaperBus(TEST_REDIS_URL, { prefix: options.prefix, blockSeconds: 1 });
  const logs: string[] = [];
  const trading = new TradingService({
    store: new SqlTradingStore(options.database.handle.db),
    market: options.market,
    now: () => PAPER_NOW,
    isKnownSymbol: () => true,
    tickMs: 50,
    cluster: {
      lock: options.lock ?? new PostgresOwnerLock(options.databaseUrl),
      bus,
      pollMs: options.pollMs ?? 100,
      timeoutMs: options.timeoutMs ?? 1_500,
    },
    log: (_error, message) => logs.push(message),
    ...(options.brokers && { brokers: options.brokers }),
  });
  const updates: PaperNode['updates'] = [];
  trading.onTradeUpdate((userId, update) => updates.push({ userId, update }));
  await trading.start();
  let stopping: Promise<void> | undefined;
  return {
    trading,
    bus,
    updates,
    logs,
    stop: () =>
      (stopping ??= (async () => {
        await trading.stop();
        await bus.close();
      })()),
  };
}
