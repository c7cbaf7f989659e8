import { type Kysely, sql } from 'kysely';

/** Backtest jobs: the request, status and progress, and the report (JSON text) once done. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('backtests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed', 'canceled')`),
    )
    .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('backtests_user').on('backtests').columns(['user_id', 'created_at']).execute();
}
