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
import { canonicalEntry } from '../../accounts/audit-chain.js';
import type { AuditEvent, EquityPoint, TradingTransaction } from '../../ports.js';
import type { Database } from './schema.js';
import { orderToRow, SqlOrderStore } from './sql-order-store.js';

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

type UpdatableOrderColumn = Exclude<keyof Database['trading_orders'], 'id' | 'account_id'>;

/** One account's locked transaction (see TradingTransaction). */
export class SqlTradingTransaction implements TradingTransaction {
  readonly orders: SqlOrderStore;
  /** The account's cash, read under the row lock by the first fill. */
  private cash: Money | undefined;

  constructor(
    private readonly trx: Kysely<Database>,
    readonly accountId: string,
    private readonly wallNow: () => Date = () => new Date(),
  ) {
    this.orders = new SqlOrderStore(trx, accountId);
  }

  /** Locks the account row (until the commit) and reads its cash, once per transaction. */
  private async lockedCash(): Promise<Money> {
    if (this.cash === undefined) {
      const row = await this.trx
        .selectFrom('trading_accounts')
        .select('cash')
        .where('id', '=', this.accountId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      this.cash = new Money(row.cash);
    }
    return this.cash;
  }

  async insertOrders(orders: readonly Order[]): Promise<'inserted' | 'duplicate_client_order_id'> {
    if (orders.length === 0) return 'inserted';
    // `on conflict do nothing` keeps the transaction usable; a short count means the unique
    // (account, client_order_id) index refused one, and the caller rolls back by throwing.
    const inserted = await this.trx
      .insertInto('trading_orders')
      .values(orders.map((o) => orderToRow(this.accountId, o)))
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    return inserted.length === orders.length ? 'inserted' : 'duplicate_client_order_id';
  }

  async saveOrders(orders: readonly Order[]): Promise<void> {
    if (orders.length === 0) return;
    const rows = orders.map((o) => orderToRow(this.accountId, o));
    const columns = Object.keys(rows[0] ?? {}).filter(
      (c): c is UpdatableOrderColumn => c !== 'id' && c !== 'account_id',
    );
    await this.trx
      .insertInto('trading_orders')
      .values(rows)
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)])))
          .where('trading_orders.account_id', '=', this.accountId),
      )
      .execute();
  }

  async audit(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    const at = new Date(this.wallNow().getTime());
    const entries = events.map((e) => ({
      at,
      actorId: e.actorId,
      action: e.action,
      ip: e.ip,
      detail: JSON.stringify(e.detail ?? {}),
    }));
    // The canonical entry after its id: pulse_audit_append prefixes `["<id>",` (see migration 0070).
    const tails = entries.map((e) => canonicalEntry({ id: '', ...e }).slice('["",'.length));
    await sql`select pulse_audit_append(
      ${entries.map((e) => e.at.toISOString())}::timestamptz[],
      ${entries.map((e) => e.actorId)}::text[],
      ${entries.map((e) => e.action)}::text[],
      ${entries.map((e) => e.ip)}::text[],
      ${entries.map((e) => e.detail)}::text[],
      ${tails}::text[])`.execute(this.trx);
  }

  async applyFill(fill: Fill, order: Order): Promise<{ applied: boolean; positionQty: Money }> {
    const accountId = this.accountId;
    const cash = await this.lockedCash();
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
    this.cash = (fill.side === 'buy' ? cash.minus(gross) : cash.plus(gross)).minus(fill.commission);
    await this.trx
      .updateTable('trading_accounts')
      .set({ cash: this.cash.toFixed(), updated_at: now })
      .where('id', '=', accountId)
      .execute();
    return { applied: true, positionQty: after.qty };
  }

  recordEquity(point: EquityPoint): Promise<void> {
    return upsertEquity(this.trx, this.accountId, point);
  }
}
