import { type Kysely, sql } from 'kysely';

/** Usage budgets set by admins (Alpaca calls per minute, stream symbols, storage, daily counts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ops_usage_budgets')
    .addColumn('metric', 'text', (c) => c.primaryKey())
    .addColumn('limit_value', 'float8')
    .addColumn('warn_at', 'float8', (c) => c.notNull().defaultTo(0.8))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('trading_orders_created_at')
    .on('trading_orders')
    .column('created_at')
    .execute();
  await db.schema.createIndex('signal_firings_fired_at').on('signal_firings').column('fired_at').execute();
  await db.schema.createIndex('users_created_at').on('users').column('created_at').execute();
}
