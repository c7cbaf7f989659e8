import { type Kysely, sql } from 'kysely';

/**
 * Live signals: the signal (rule, symbols, timeframe, firing policy, actions), a cursor per (signal, symbol) —
 * the firing policy's JSON state and the last bar decided — and each firing, unique per (signal, symbol, bar).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('symbols', sql`text[]`, (c) => c.notNull())
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('once', 'once_per_bar', 'every_time')`))
    .addColumn('cooldown_bars', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint')
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('signals_user').on('signals').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('signal_cursors')
    .addColumn('signal_id', 'text', (c) => c.notNull().references('signals.id').onDelete('cascade'))
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('firing_state', 'text', (c) => c.notNull())
    .addColumn('last_bar_time', 'bigint')
    .addPrimaryKeyConstraint('signal_cursors_pk', ['signal_id', 'symbol'])
    .execute();

  await db.schema
    .createTable('signal_firings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('signal_id', 'text', (c) => c.notNull().references('signals.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('bar_time', 'bigint', (c) => c.notNull())
    .addColumn('bar', 'text', (c) => c.notNull())
    .addColumn('values', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'timestamptz', (c) => c.notNull())
    .addColumn('catch_up', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('order_result', 'text')
    .addUniqueConstraint('signal_firings_once', ['signal_id', 'symbol', 'bar_time'])
    .execute();
  await db.schema
    .createIndex('signal_firings_by_signal')
    .on('signal_firings')
    .columns(['signal_id', 'bar_time'])
    .execute();
}
