import { type Kysely, sql } from 'kysely';

/**
 * Paper trading: one account per user (cash, fill model, risk limits), its orders (every Alpaca field),
 * fills (unique execution id), positions and equity snapshots. Money is `numeric`, never a float.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trading_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('account_number', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('cash', 'margin')`))
    .addColumn('starting_cash', 'numeric', (c) => c.notNull())
    .addColumn('cash', 'numeric', (c) => c.notNull())
    .addColumn('fill_model', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('risk_limits', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('trading_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('trading_accounts.id').onDelete('cascade'))
    .addColumn('client_order_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('filled_at', 'timestamptz')
    .addColumn('expired_at', 'timestamptz')
    .addColumn('canceled_at', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('replaced_at', 'timestamptz')
    .addColumn('replaced_by', 'text')
    .addColumn('replaces', 'text')
    .addColumn('asset_class', 'text', (c) => c.notNull().defaultTo('us_equity'))
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('notional', 'numeric')
    .addColumn('qty', 'numeric')
    .addColumn('filled_qty', 'numeric', (c) => c.notNull())
    .addColumn('filled_avg_price', 'numeric')
    .addColumn('order_class', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('buy', 'sell')`))
    .addColumn('time_in_force', 'text', (c) => c.notNull())
    .addColumn('limit_price', 'numeric')
    .addColumn('stop_price', 'numeric')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('extended_hours', 'boolean', (c) => c.notNull())
    .addColumn('legs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('trail_percent', 'numeric')
    .addColumn('trail_price', 'numeric')
    .addColumn('hwm', 'numeric')
    .addColumn('parent_id', 'text')
    .addColumn('role', 'text')
    .addColumn('commission', 'numeric', (c) => c.notNull())
    .execute();
  // A retried POST finds its first order through this index; two concurrent ones cannot both insert.
  await db.schema
    .createIndex('trading_orders_client_order_id')
    .on('trading_orders')
    .columns(['account_id', 'client_order_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('trading_orders_account_submitted')
    .on('trading_orders')
    .columns(['account_id', 'submitted_at'])
    .execute();
  await sql`create index trading_orders_open on trading_orders (account_id)
    where status not in ('filled', 'canceled', 'expired', 'replaced', 'rejected')`.execute(db);

  await db.schema
    .createTable('trading_fills')
    .addColumn('execution_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('trading_accounts.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('trading_orders.id'))
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('qty', 'numeric', (c) => c.notNull())
    .addColumn('price', 'numeric', (c) => c.notNull())
    .addColumn('commission', 'numeric', (c) => c.notNull())
    .addColumn('position_qty', 'numeric', (c) => c.notNull())
    .addColumn('cum_qty', 'numeric', (c) => c.notNull())
    .addColumn('leaves_qty', 'numeric', (c) => c.notNull())
    .addColumn('order_status', 'text', (c) => c.notNull())
    .addColumn('reference_price', 'numeric', (c) => c.notNull())
    .addColumn('liquidity', 'text', (c) => c.notNull())
    .addColumn('slippage_bps', 'numeric', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('trading_fills_account_seq')
    .on('trading_fills')
    .columns(['account_id', 'seq'])
    .execute();

  await db.schema
    .createTable('trading_positions')
    .addColumn('account_id', 'text', (c) => c.notNull().references('trading_accounts.id').onDelete('cascade'))
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('qty', 'numeric', (c) => c.notNull())
    .addColumn('avg_entry_price', 'numeric', (c) => c.notNull())
    .addColumn('realized_pl', 'numeric', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('trading_positions_pk', ['account_id', 'symbol'])
    .execute();

  await db.schema
    .createTable('trading_equity')
    .addColumn('account_id', 'text', (c) => c.notNull().references('trading_accounts.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('equity', 'numeric', (c) => c.notNull())
    .addColumn('cash', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('trading_equity_pk', ['account_id', 'at'])
    .execute();
}
