import type { Insertable, Kysely, Selectable } from 'kysely';
import { Money } from '../../../core/kernel/index.js';
import {
  type LegRole,
  type Order,
  type OrderClass,
  type OrderFilter,
  type OrderSide,
  type OrderStatus,
  type OrderStore,
  type OrderType,
  type TimeInForce,
  TERMINAL_STATUSES,
} from '../../../core/trading/index.js';
import type { Database, TradingOrdersTable } from './schema.js';

const TERMINAL = [...TERMINAL_STATUSES];
const dec = (m: Money | null): string | null => (m === null ? null : m.toFixed());
const money = (text: string | null): Money | null => (text === null ? null : new Money(text));
const date = (t: number | null): Date | null => (t === null ? null : new Date(t));
const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

/** Every column of a `trading_orders` row, as orderToRow fills them. */
export const ORDER_COLUMNS = [
  'id',
  'account_id',
  'client_order_id',
  'created_at',
  'updated_at',
  'submitted_at',
  'filled_at',
  'expired_at',
  'canceled_at',
  'failed_at',
  'replaced_at',
  'replaced_by',
  'replaces',
  'asset_class',
  'symbol',
  'notional',
  'qty',
  'filled_qty',
  'filled_avg_price',
  'order_class',
  'type',
  'side',
  'time_in_force',
  'limit_price',
  'stop_price',
  'status',
  'extended_hours',
  'legs',
  'trail_percent',
  'trail_price',
  'hwm',
  'parent_id',
  'role',
  'commission',
] as const satisfies readonly (keyof TradingOrdersTable)[];

/** An order as a `trading_orders` row of `accountId`. */
export function orderToRow(accountId: string, o: Order): Insertable<TradingOrdersTable> {
  return {
    id: o.id,
    account_id: accountId,
    client_order_id: o.clientOrderId,
    created_at: new Date(o.createdAt),
    updated_at: new Date(o.updatedAt),
    submitted_at: new Date(o.submittedAt),
    filled_at: date(o.filledAt),
    expired_at: date(o.expiredAt),
    canceled_at: date(o.canceledAt),
    failed_at: date(o.failedAt),
    replaced_at: date(o.replacedAt),
    replaced_by: o.replacedBy,
    replaces: o.replaces,
    asset_class: o.assetClass,
    symbol: o.symbol,
    notional: dec(o.notional),
    qty: dec(o.qty),
    filled_qty: o.filledQty.toFixed(),
    filled_avg_price: dec(o.filledAvgPrice),
    order_class: o.orderClass,
    type: o.type,
    side: o.side,
    time_in_force: o.timeInForce,
    limit_price: dec(o.limitPrice),
    stop_price: dec(o.stopPrice),
    status: o.status,
    extended_hours: o.extendedHours,
    legs: [...o.legs],
    trail_percent: dec(o.trailPercent),
    trail_price: dec(o.trailPrice),
    hwm: dec(o.hwm),
    parent_id: o.parentId,
    role: o.role,
    commission: o.commission.toFixed(),
  };
}

/** A `trading_orders` row as core's Order. */
export function orderFromRow(r: Selectable<TradingOrdersTable>): Order {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    createdAt: r.created_at.getTime(),
    updatedAt: r.updated_at.getTime(),
    submittedAt: r.submitted_at.getTime(),
    filledAt: ms(r.filled_at),
    expiredAt: ms(r.expired_at),
    canceledAt: ms(r.canceled_at),
    failedAt: ms(r.failed_at),
    replacedAt: ms(r.replaced_at),
    replacedBy: r.replaced_by,
    replaces: r.replaces,
    assetClass: 'us_equity',
    symbol: r.symbol,
    notional: money(r.notional),
    qty: money(r.qty),
    filledQty: new Money(r.filled_qty),
    filledAvgPrice: money(r.filled_avg_price),
    orderClass: r.order_class as OrderClass,
    type: r.type as OrderType,
    side: r.side as OrderSide,
    timeInForce: r.time_in_force as TimeInForce,
    limitPrice: money(r.limit_price),
    stopPrice: money(r.stop_price),
    status: r.status as OrderStatus,
    extendedHours: r.extended_hours,
    legs: r.legs,
    trailPercent: money(r.trail_percent),
    trailPrice: money(r.trail_price),
    hwm: money(r.hwm),
    parentId: r.parent_id,
    role: r.role as LegRole | null,
    commission: new Money(r.commission),
  };
}

/**
 * Core's OrderStore over `trading_orders`, scoped to one account (another account's ids are unknown).
 * Give it a transaction to read and write inside it. `save` upserts by id; client_order_id is unique
 * per account (a unique index), so a second order with a taken id throws.
 */
export class SqlOrderStore implements OrderStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly accountId: string,
  ) {}

  async save(order: Order): Promise<void> {
    const row = orderToRow(this.accountId, order);
    const { id: _id, account_id: _account, ...changes } = row;
    await this.db
      .insertInto('trading_orders')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet(changes).where('trading_orders.account_id', '=', this.accountId),
      )
      .execute();
  }

  async get(id: string): Promise<Order | null> {
    const row = await this.db
      .selectFrom('trading_orders')
      .selectAll()
      .where('account_id', '=', this.accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? orderFromRow(row) : null;
  }

  async getByClientId(clientOrderId: string): Promise<Order | null> {
    const row = await this.db
      .selectFrom('trading_orders')
      .selectAll()
      .where('account_id', '=', this.accountId)
      .where('client_order_id', '=', clientOrderId)
      .executeTakeFirst();
    return row ? orderFromRow(row) : null;
  }

  async list(filter: OrderFilter = {}): Promise<Order[]> {
    const status = filter.status ?? 'open';
    const direction = filter.direction ?? 'desc';
    let query = this.db.selectFrom('trading_orders').selectAll().where('account_id', '=', this.accountId);
    if (status === 'open') query = query.where('status', 'not in', TERMINAL);
    if (status === 'closed') query = query.where('status', 'in', TERMINAL);
    if (filter.after !== undefined) query = query.where('submitted_at', '>', new Date(filter.after));
    if (filter.until !== undefined) query = query.where('submitted_at', '<', new Date(filter.until));
    if (filter.symbols) {
      if (filter.symbols.length === 0) return [];
      query = query.where('symbol', 'in', [...filter.symbols]);
    }
    if (filter.side) query = query.where('side', '=', filter.side);
    const rows = await query
      .orderBy('submitted_at', direction)
      .orderBy('created_at', direction)
      .orderBy('id', direction)
      .limit(Math.min(Math.max(filter.limit ?? 50, 1), 500))
      .execute();
    return rows.map(orderFromRow);
  }

  /** Orders of this account by id (unknown ids are skipped). */
  async getMany(ids: readonly string[]): Promise<Order[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('trading_orders')
      .selectAll()
      .where('account_id', '=', this.accountId)
      .where('id', 'in', [...ids])
      .execute();
    return rows.map(orderFromRow);
  }
}
