import { type Kysely, sql } from 'kysely';

/** Notification channels, the delivery log (also the delivery queue's durable state), the in-app inbox, quiet hours. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notify_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('in_app', 'email', 'slack', 'webhook', 'sms', 'web_push')`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    // JSON text rather than jsonb so that it can be envelope-encrypted as one value later.
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('notify_channels_user').on('notify_channels').column('user_id').execute();
  await sql`create unique index notify_channels_one_in_app on notify_channels (user_id) where type = 'in_app'`.execute(
    db,
  );

  await db.schema
    .createTable('notify_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('channel_id', 'text', (c) => c.references('notify_channels.id').onDelete('set null'))
    .addColumn('channel_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'sending', 'delivered', 'failed', 'dropped', 'held')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('urgency', 'text', (c) => c.notNull().check(sql`urgency in ('normal', 'urgent')`))
    .addColumn('dedupe_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('notify_deliveries_user_created')
    .on('notify_deliveries')
    .columns(['user_id', 'created_at'])
    .execute();
  await sql`create index notify_deliveries_pending on notify_deliveries (status, created_at)
    where status in ('queued', 'sending', 'held')`.execute(db);
  await sql`create index notify_deliveries_dedupe on notify_deliveries (user_id, dedupe_key, created_at)
    where dedupe_key is not null`.execute(db);

  await db.schema
    .createTable('notify_inbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('delivery_id', 'text', (c) => c.unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('notify_inbox_user_created')
    .on('notify_inbox')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('notify_quiet_hours')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .execute();
}
