import crypto from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { Money } from '../../../core/kernel/index.js';
import {
  type Fill,
  type FillModel,
  type Order,
  type OrderSide,
  type OrderStatus,
  type Position,
  type RiskLimits,
  TERMINAL_STATUSES,
} from '../../../core/trading/index.js';
import {
  fillModelFromJson,
  fillModelToJson,
  riskLimitsFromJson,
  riskLimitsToJson,
} from '../../trading/settings.js';
import type {
  EquityPoint,
  FillQuery,
  FillRecord,
  TradingAccountRecord,
  TradingStore,
  TradingTransaction,
} from '../../ports.js';
import type { Database, TradingAccountsTable, TradingFillsTable } from './schema.js';
import { orderFromRow, SqlOrderStore } from './sql-order-store.js';
import type { FillCommit, FillSettlement, OrderCommit } from '../../trading/trading-store.js';
import { commitFills, commitOrders, SqlTradingTransaction, upsertEquity } from './sql-trading-transaction.js';

const KILL_SWITCH = 'trading.kill_switch';

function toAccount(r: Selectable<TradingAccountsTable>): TradingAccountRecord {
  return {
    id: r.id,
    userId: r.user_id,
    accountNumber: r.account_number,
    kind: r.kind,
    startingCash: new Money(r.starting_cash),
    cash: new Money(r.cash),
    fillModel: fillModelFromJson(JSON.parse(r.fill_model) as object),
    riskLimits: riskLimitsFromJson(JSON.parse(r.risk_limits) as object),
    createdAt: r.created_at.getTime(),
  };
}

function toFill(r: Selectable<TradingFillsTable>): FillRecord {
  return {
    fill: {
      id: r.execution_id,
      orderId: r.order_id,
      symbol: r.symbol,
      side: r.side as OrderSide,
      qty: new Money(r.qty),
      price: new Money(r.price),
      t: r.at.getTime(),
      referencePrice: new Money(r.reference_price),
      liquidity: r.liquidity as Fill['liquidity'],
      slippageBps: Number(r.slippage_bps),
      latencyMs: r.latency_ms,
      commission: new Money(r.commission),
    },
    positionQty: new Money(r.position_qty),
    cumQty: new Money(r.cum_qty),
    leavesQty: new Money(r.leaves_qty),
    orderStatus: r.order_status as OrderStatus,
    seq: String(r.seq),
  };
}

/** TradingStore over the trading_* tables (PGlite or PostgreSQL). */
export class SqlTradingStore implements TradingStore {
  /** `wallNow` stamps the audit rows written inside trading transactions. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly wallNow: () => Date = () => new Date(),
    /** The owner's fencing token its commits carry (several nodes); null: one node alone, no check. */
    private readonly fenceToken: number | null = null,
  ) {}

  async claimOwnership(): Promise<number> {
    const { rows } = await sql<{
      epoch: string;
    }>`update paper_owner set epoch = epoch + 1 where id = 1 returning epoch::text as epoch`.execute(this.db);
    const epoch = rows[0]?.epoch;
    if (epoch === undefined) throw new Error('paper_owner has no row (migration 0110)');
    return Number(epoch);
  }

  fencedBy(token: number): SqlTradingStore {
    return new SqlTradingStore(this.db, this.wallNow, token);
  }

  async ensureAccount(
    userId: string,
    defaults: Pick<TradingAccountRecord, 'kind' | 'startingCash' | 'fillModel' | 'riskLimits'>,
  ): Promise<TradingAccountRecord> {
    const existing = await this.db
      .selectFrom('trading_accounts')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (existing) return toAccount(existing);
    await this.db
      .insertInto('trading_accounts')
      .values({
        id: crypto.randomUUID(),
        user_id: userId,
        account_number: `PA${crypto.randomInt(1e9, 1e10 - 1)}`,
        kind: defaults.kind,
        starting_cash: defaults.startingCash.toFixed(),
        cash: defaults.startingCash.toFixed(),
        fill_model: JSON.stringify(fillModelToJson(defaults.fillModel)),
        risk_limits: JSON.stringify(riskLimitsToJson(defaults.riskLimits)),
      })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('trading_accounts')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return toAccount(row);
  }

  async listAccounts(): Promise<TradingAccountRecord[]> {
    const rows = await this.db.selectFrom('trading_accounts').selectAll().orderBy('created_at').execute();
    return rows.map(toAccount);
  }

  async updateSettings(
    accountId: string,
    patch: { fillModel?: FillModel; riskLimits?: RiskLimits },
  ): Promise<TradingAccountRecord> {
    const row = await this.db
      .updateTable('trading_accounts')
      .set({
        updated_at: new Date(),
        ...(patch.fillModel && { fill_model: JSON.stringify(fillModelToJson(patch.fillModel)) }),
        ...(patch.riskLimits && { risk_limits: JSON.stringify(riskLimitsToJson(patch.riskLimits)) }),
      })
      .where('id', '=', accountId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAccount(row);
  }

  orders(accountId: string): SqlOrderStore {
    return new SqlOrderStore(this.db, accountId);
  }

  async openOrders(accountId: string): Promise<Order[]> {
    const rows = await this.db
      .selectFrom('trading_orders')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('status', 'not in', [...TERMINAL_STATUSES])
      .orderBy('submitted_at')
      .orderBy('created_at')
      .execute();
    return rows.map(orderFromRow);
  }

  async positions(accountId: string): Promise<Position[]> {
    const rows = await this.db
      .selectFrom('trading_positions')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('symbol')
      .execute();
    return rows.map((r) => ({
      symbol: r.symbol,
      qty: new Money(r.qty),
      avgEntryPrice: new Money(r.avg_entry_price),
      realizedPl: new Money(r.realized_pl),
    }));
  }

  async fills(accountId: string, q: FillQuery): Promise<FillRecord[]> {
    let query = this.db.selectFrom('trading_fills').selectAll().where('account_id', '=', accountId);
    if (q.cursor !== undefined) query = query.where('seq', q.direction === 'asc' ? '>' : '<', q.cursor);
    if (q.from !== undefined) query = query.where('at', '>', new Date(q.from));
    if (q.to !== undefined) query = query.where('at', '<', new Date(q.to));
    const rows = await query.orderBy('seq', q.direction).limit(q.limit).execute();
    return rows.map(toFill);
  }

  async fillSeq(accountId: string, executionId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('trading_fills')
      .select('seq')
      .where('account_id', '=', accountId)
      .where('execution_id', '=', executionId)
      .executeTakeFirst();
    return row ? String(row.seq) : null;
  }

  async equity(accountId: string, from: number, to: number): Promise<EquityPoint[]> {
    const rows = await this.db
      .selectFrom('trading_equity')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('at', '>=', new Date(from))
      .where('at', '<=', new Date(to))
      .orderBy('at')
      .execute();
    return rows.map((r) => ({ at: r.at.getTime(), equity: new Money(r.equity), cash: new Money(r.cash) }));
  }

  recordEquity(accountId: string, point: EquityPoint): Promise<void> {
    return upsertEquity(this.db, accountId, point);
  }

  commitOrders(accountId: string, commit: OrderCommit): Promise<'committed' | 'duplicate_client_order_id'> {
    return commitOrders(this.db, accountId, commit, this.wallNow(), this.fenceToken);
  }

  commitFills(
    accountId: string,
    commit: FillCommit,
    settle: FillSettlement,
  ): Promise<'committed' | 'duplicate_client_order_id'> {
    return commitFills(this.db, accountId, commit, settle, this.wallNow, this.fenceToken);
  }

  transaction<T>(accountId: string, work: (tx: TradingTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new SqlTradingTransaction(trx, accountId)));
  }

  async killSwitch(): Promise<boolean> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', KILL_SWITCH)
      .executeTakeFirst();
    return row?.value === 'true';
  }

  async setKillSwitch(active: boolean): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key: KILL_SWITCH, value: String(active) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(active), updated_at: new Date() }))
      .execute();
  }
}
