import { type Kysely, sql } from 'kysely';

/**
 * Privacy: consent records (every change kept, newest wins) and account deletion requests (a grace
 * period, then erasure by the privacy job). Erased users stay as tombstones (`users.erased_at`), so
 * anonymised orders and fills keep their account and the audit log keeps its chain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('privacy_consents')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('analytics', 'notifications')`))
    .addColumn('granted', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('privacy_consents_user')
    .on('privacy_consents')
    .columns(['user_id', 'purpose', 'id'])
    .execute();

  await db.schema
    .createTable('privacy_deletion_requests')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('erased_at', 'timestamptz')
    .execute();
  // At most one open request per user.
  await sql`create unique index privacy_deletion_open on privacy_deletion_requests (user_id) where cancelled_at is null and erased_at is null`.execute(
    db,
  );

  await sql`alter table users add column erased_at timestamptz`.execute(db);
}
