import type { Kysely } from 'kysely';

/** Which broker each user trades through: absent means the paper simulator. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trading_broker_choices')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('broker', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
