import crypto from 'node:crypto';
import { type Kysely, sql } from 'kysely';

/**
 * Accounts and security: API tokens, session ids and "remember me", sign-in throttling, encrypted
 * user secrets (broker keys, TOTP), MFA recovery codes and challenges, and a hash-chained audit log.
 * Also lifts the one-owner limit (several owners may exist; a settings row now closes first-run setup).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`insert into settings (key, value) select 'setup.owner_created', 'true' where exists (select 1 from users where role = 'owner') on conflict do nothing`.execute(
    db,
  );
  await sql`drop index if exists users_single_owner`.execute(db);
  await sql`alter table users add column mfa_enabled boolean not null default false`.execute(db);

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('read', 'trade', 'admin')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_tokens_user_id').on('api_tokens').column('user_id').execute();

  await sql`alter table sessions add column id text not null default gen_random_uuid()::text`.execute(db);
  await sql`alter table sessions add column persistent boolean not null default true`.execute(db);
  await db.schema.createIndex('sessions_id').on('sessions').column('id').unique().execute();

  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();

  await db.schema
    .createTable('user_secrets')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_secrets_pk', ['user_id', 'kind'])
    .execute();

  await db.schema
    .createTable('mfa_recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('mfa_recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('mfa_challenges')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('remember', 'boolean', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await sql`alter table audit_log add column prev_hash text`.execute(db);
  await sql`alter table audit_log add column hash text`.execute(db);
  // Chain the rows written before this migration, so verification covers the whole log.
  const rows = await sql<{
    id: string;
    at: Date;
    actor_id: string | null;
    action: string;
    ip: string | null;
    detail: string;
  }>`select id, at, actor_id, action, ip, detail from audit_log order by id`.execute(db);
  let prev = '';
  for (const row of rows.rows) {
    const canonical = JSON.stringify([
      String(row.id),
      row.at.toISOString(),
      row.actor_id,
      row.action,
      row.ip,
      row.detail,
    ]);
    const hash = crypto.createHash('sha256').update(prev).update(canonical).digest('hex');
    await sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`.execute(db);
    prev = hash;
  }
}
