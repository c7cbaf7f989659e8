import { type Kysely, sql } from 'kysely';

/** Operations: uptime monitors (raw results 48 h, hourly rollups 90 d), incidents, errors, vitals, alerts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ops_monitors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('check_spec', 'jsonb', (c) => c.notNull())
    .addColumn('interval_ms', 'integer', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('retries', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('component', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_checked_at', 'timestamptz')
    .addColumn('last_change_at', 'timestamptz')
    .addColumn('last_detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('ops_check_results')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('monitor_id', 'text', (c) => c.notNull().references('ops_monitors.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('latency_ms', 'integer')
    .addColumn('detail', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ops_check_results_monitor_at')
    .on('ops_check_results')
    .columns(['monitor_id', 'at'])
    .execute();
  await db.schema.createIndex('ops_check_results_at').on('ops_check_results').column('at').execute();
  await db.schema
    .createTable('ops_check_hourly')
    .addColumn('monitor_id', 'text', (c) => c.notNull().references('ops_monitors.id').onDelete('cascade'))
    .addColumn('hour', 'timestamptz', (c) => c.notNull())
    .addColumn('checks', 'integer', (c) => c.notNull())
    .addColumn('up', 'integer', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('latency_sum', 'bigint', (c) => c.notNull())
    .addColumn('latency_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ops_check_hourly_pk', ['monitor_id', 'hour'])
    .execute();

  await db.schema
    .createTable('ops_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('components', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('starts_at', 'timestamptz')
    .addColumn('ends_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('ops_incident_updates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('ops_incidents.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ops_error_groups')
    .addColumn('fingerprint', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('first_seen', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen', 'timestamptz', (c) => c.notNull())
    .addColumn('release', 'text')
    .addColumn('route', 'text')
    .addColumn('browser', 'text')
    .addColumn('stack', 'text')
    .addColumn('mapped_stack', 'text')
    .execute();
  await db.schema
    .createIndex('ops_error_groups_last_seen')
    .on('ops_error_groups')
    .column('last_seen')
    .execute();

  await db.schema
    .createTable('ops_vitals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('release', 'text', (c) => c.notNull())
    .addColumn('browser', 'text')
    .execute();
  await db.schema.createIndex('ops_vitals_at').on('ops_vitals').column('at').execute();

  await db.schema
    .createTable('ops_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('acked_at', 'timestamptz')
    .addColumn('acked_by', 'text')
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notifications', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suppressed', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // Deduplication across nodes and restarts: one firing alert per key.
  await sql`create unique index ops_alerts_firing_key on ops_alerts (key) where status = 'firing'`.execute(
    db,
  );
  await db.schema.createIndex('ops_alerts_started').on('ops_alerts').column('started_at').execute();
}
