import { type Kysely, sql } from 'kysely';

/** Bars recorded from the live feed. Prices are float64 like the feed's; they are market data, not money. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bars')
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('t', 'timestamptz', (c) => c.notNull())
    .addColumn('o', 'float8', (c) => c.notNull())
    .addColumn('h', 'float8', (c) => c.notNull())
    .addColumn('l', 'float8', (c) => c.notNull())
    .addColumn('c', 'float8', (c) => c.notNull())
    .addColumn('v', 'float8', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('vw', 'float8', (c) => c.notNull())
    .addColumn('extended', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('bars_pkey', ['symbol', 'timeframe', 't'])
    .execute();
  await sql`comment on table bars is 'Bars recorded from the live market feed (Pulse).'`.execute(db);
}
