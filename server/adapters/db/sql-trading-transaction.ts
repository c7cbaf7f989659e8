import { type Kysely, sql } from 'kysely';
import { Money } from '../../../core/kernel/index.js';
import {
  type Fill,
  type Order,
  type Position,
  applyFill,
  flatPosition,
  isOpen,
} from '../../../core/trading/index.js';
import type { EquityPoint, TradingAccountRecord, TradingTransaction } from '../../ports.js';
import type { Database } from './schema.js';
import { orderToRow, SqlOrderStore } from './sql-order-store.js';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

async function readPosition(db: Kysely<Database>, accountId: string, symbol: string): Promise<Position> {
  const row = await db
    .selectFrom('trading_positions')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('symbol', '=', symbol)
    .executeTakeFirst();
  if (!row) return flatPosition(symbol);
  return {
    symbol,
    qty: new Money(row.qty),
    avgEntryPrice: new Money(row.avg_entry_price),
    realizedPl: new Money(row.realized_pl),
  };
}

/** Inserts or overwrites one equity point of an account. */
export async function upsertEquity(db: Kysely<Database>, accountId: string, p: EquityPoint): Promise<void> {
  const values = { equity: p.equity.toFixed(), cash: p.cash.toFixed() };
  await db
    .insertInto('trading_equity')
    .values({ account_id: accountId, at: new Date(p.at), ...values })
    .onConflict((oc) => oc.columns(['account_id', 'at']).doUpdateSet(values))
    .execute();
}

/** One account's locked transaction (see TradingTransaction). */
export class SqlTradingTransaction implements TradingTransaction {
  readonly orders: SqlOrderStore;
  private cash: Money;

  constructor(
    private readonly trx: Kysely<Database>,
    readonly account: TradingAccountRecord,
  ) {
    this.orders = new SqlOrderStore(trx, account.id);
    this.cash = account.cash;
  }

  async insertOrders(orders: readonly Order[]): Promise<'inserted' | 'duplicate_client_order_id'> {
    // A savepoint keeps the transaction usable when the unique index refuses the insert.
    await sql`savepoint insert_orders`.execute(this.trx);
    try {
      await this.trx
        .insertInto('trading_orders')
        .values(orders.map((o) => orderToRow(this.account.id, o)))
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await sql`rollback to savepoint insert_orders`.execute(this.trx);
      return 'duplicate_client_order_id';
    }
    await sql`release savepoint insert_orders`.execute(this.trx);
    return 'inserted';
  }

  async applyFill(fill: Fill, order: Order): Promise<{ applied: boolean; positionQty: Money }> {
    const accountId = this.account.id;
    const before = await readPosition(this.trx, accountId, fill.symbol);
    const after = applyFill(before, fill.side, fill.qty, fill.price).position;
    const leaves = isOpen(order) && order.qty ? order.qty.minus(order.filledQty) : new Money(0);
    const inserted = await this.trx
      .insertInto('trading_fills')
      .values({
        execution_id: fill.id,
        account_id: accountId,
        order_id: fill.orderId,
        symbol: fill.symbol,
        side: fill.side,
        qty: fill.qty.toFixed(),
        price: fill.price.toFixed(),
        commission: fill.commission.toFixed(),
        position_qty: after.qty.toFixed(),
        cum_qty: order.filledQty.toFixed(),
        leaves_qty: leaves.toFixed(),
        order_status: order.status,
        reference_price: fill.referencePrice.toFixed(),
        liquidity: fill.liquidity,
        slippage_bps: String(fill.slippageBps),
        latency_ms: Math.round(fill.latencyMs),
        at: new Date(fill.t),
      })
      .onConflict((oc) => oc.column('execution_id').doNothing())
      .returning('seq')
      .executeTakeFirst();
    if (!inserted) return { applied: false, positionQty: before.qty };
    const now = new Date();
    if (after.qty.isZero()) {
      await this.trx
        .deleteFrom('trading_positions')
        .where('account_id', '=', accountId)
        .where('symbol', '=', fill.symbol)
        .execute();
    } else {
      const values = {
        qty: after.qty.toFixed(),
        avg_entry_price: after.avgEntryPrice.toFixed(),
        realized_pl: after.realizedPl.toFixed(),
        updated_at: now,
      };
      await this.trx
        .insertInto('trading_positions')
        .values({ account_id: accountId, symbol: fill.symbol, ...values })
        .onConflict((oc) => oc.columns(['account_id', 'symbol']).doUpdateSet(values))
        .execute();
    }
    const gross = fill.qty.times(fill.price);
    this.cash = (fill.side === 'buy' ? this.cash.minus(gross) : this.cash.plus(gross)).minus(fill.commission);
    await this.trx
      .updateTable('trading_accounts')
      .set({ cash: this.cash.toFixed(), updated_at: now })
      .where('id', '=', accountId)
      .execute();
    return { applied: true, positionQty: after.qty };
  }

  recordEquity(point: EquityPoint): Promise<void> {
    return upsertEquity(this.trx, this.account.id, point);
  }
}
