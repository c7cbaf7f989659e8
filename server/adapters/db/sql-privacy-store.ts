import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ConsentPurpose } from '../../../contracts/privacy.js';
import type {
  ConsentRecord,
  DeletionRequest,
  PrivacyStore,
  RetentionCutoffs,
  UserDataDump,
} from '../../privacy/privacy-store.js';
import type { Database } from './schema.js';

// The database as raw SQL sees it: this store spans every user-owned table, so it speaks SQL.
type AnyDb = Kysely<unknown>;

/** Which of a table's rows belong to a user, and which columns never leave the server. */
interface ExportedTable {
  /** The rows of the user: `user` = a user_id column; `account`/`signal`/`channel` = through a parent. */
  owner: 'self' | 'user' | 'account' | 'signal' | 'audit';
  /** Hashes, envelopes and other secrets: left out of the export. */
  omit?: readonly string[];
  /** Rewrites a row before export (e.g. redacts credentials inside a JSON config). */
  redact?: (row: Record<string, unknown>) => Record<string, unknown>;
}

const CREDENTIAL = /secret|token|password|pass|url|key|auth|endpoint|p256dh|webhook/i;

function redactConfig(row: Record<string, unknown>): Record<string, unknown> {
  let config: unknown;
  try {
    config = JSON.parse(String(row.config));
  } catch {
    config = {};
  }
  const safe = Object.fromEntries(
    Object.entries(config !== null && typeof config === 'object' ? config : {}).map(([k, v]) =>
      k !== 'type' && CREDENTIAL.test(k) ? [k, '[redacted]'] : [k, v],
    ),
  );
  return { ...row, config: safe };
}

/**
 * Every table that holds a user's data, and how it is exported. A test enumerates the tables with
 * a `user_id` column and fails when one is missing here, so a new table cannot be forgotten.
 */
export const EXPORTED_TABLES: Readonly<Record<string, ExportedTable>> = {
  users: { owner: 'self', omit: ['password_hash'] },
  sessions: { owner: 'user', omit: ['token_hash', 'csrf_token'] },
  api_tokens: { owner: 'user', omit: ['token_hash'] },
  // Broker keys and TOTP seeds: only the metadata (last 4 of the key id, paper/live), never the envelope.
  user_secrets: { owner: 'user', omit: ['envelope'] },
  mfa_recovery_codes: { owner: 'user', omit: ['code_hash'] },
  mfa_challenges: { owner: 'user', omit: ['id_hash'] },
  watchlists: { owner: 'user' },
  trading_accounts: { owner: 'user' },
  trading_orders: { owner: 'account' },
  trading_fills: { owner: 'account' },
  trading_positions: { owner: 'account' },
  trading_equity: { owner: 'account' },
  // Which broker the user trades through (0100), when present.
  trading_broker_choices: { owner: 'user' },
  signals: { owner: 'user' },
  signal_cursors: { owner: 'signal' },
  signal_firings: { owner: 'user' },
  backtests: { owner: 'user' },
  notify_channels: { owner: 'user', redact: redactConfig },
  notify_deliveries: { owner: 'user' },
  notify_inbox: { owner: 'user' },
  notify_quiet_hours: { owner: 'user' },
  privacy_consents: { owner: 'user' },
  privacy_deletion_requests: { owner: 'user' },
  // Sign-in with other providers and e-mail verification/reset (0050), when present.
  user_identities: { owner: 'user' },
  email_tokens: { owner: 'user', omit: ['token_hash'] },
  oidc_flows: { owner: 'user', omit: ['id_hash', 'state', 'nonce', 'code_verifier'] },
  // Passkeys (0090), when present: the credential's metadata, not its public key or challenges.
  passkeys: { owner: 'user', omit: ['public_key'] },
  webauthn_challenges: { owner: 'user', omit: ['id_hash', 'challenge'] },
  audit_log: { owner: 'audit' },
};

// Kept at erasure: trading records (anonymised by the tombstone), the deletion request (proof it
// was carried out), the user row itself (the tombstone). Everything else with a user_id goes.
const KEPT_AT_ERASURE = new Set(['users', 'trading_accounts', 'privacy_deletion_requests']);

function ownerFilter(owner: ExportedTable['owner'], userId: string): RawBuilder<unknown> {
  switch (owner) {
    case 'self':
      return sql`id = ${userId}`;
    case 'user':
      return sql`user_id = ${userId}`;
    case 'account':
      return sql`account_id in (select id from trading_accounts where user_id = ${userId})`;
    case 'signal':
      return sql`signal_id in (select id from signals where user_id = ${userId})`;
    case 'audit':
      // Entries the user made, and entries naming them by id or e-mail (a role change, failed sign-ins).
      return sql`(actor_id = ${userId} or strpos(detail, ${userId}) > 0
        or strpos(detail, (select email from users where id = ${userId})) > 0)`;
  }
}

interface DeletionRow {
  user_id: string;
  requested_at: Date;
  due_at: Date;
  requested_by: string;
}

function toDeletion(row: DeletionRow): DeletionRequest {
  return {
    userId: row.user_id,
    requestedAt: row.requested_at,
    dueAt: row.due_at,
    requestedBy: row.requested_by,
  };
}

/** The tables with a `user_id` column in the current schema (for erasure and the completeness test). */
export async function tablesWithUserId(db: AnyDb | Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and c.column_name = 'user_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(db);
  return rows.rows.map((r) => r.table_name);
}

async function existingTables(db: AnyDb): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  return rows.rows.map((r) => r.table_name);
}

/** PrivacyStore over SQL (PGlite or PostgreSQL). */
export class SqlPrivacyStore implements PrivacyStore {
  private readonly db: AnyDb;
  constructor(db: Kysely<Database>) {
    this.db = db as unknown as AnyDb;
  }

  async consentHistory(userId: string): Promise<ConsentRecord[]> {
    const rows = await sql<{ purpose: ConsentPurpose; granted: boolean; at: Date }>`
      select purpose, granted, at from privacy_consents where user_id = ${userId} order by id desc`.execute(
      this.db,
    );
    return rows.rows.map((r) => ({ purpose: r.purpose, granted: r.granted, at: r.at }));
  }

  async recordConsent(userId: string, record: ConsentRecord): Promise<void> {
    await sql`insert into privacy_consents (user_id, purpose, granted, at)
      values (${userId}, ${record.purpose}, ${record.granted}, ${record.at})`.execute(this.db);
  }

  async openDeletion(userId: string): Promise<DeletionRequest | undefined> {
    const rows = await sql<DeletionRow>`select user_id, requested_at, due_at, requested_by
      from privacy_deletion_requests
      where user_id = ${userId} and cancelled_at is null and erased_at is null`.execute(this.db);
    const row = rows.rows[0];
    return row && toDeletion(row);
  }

  async scheduleDeletion(request: DeletionRequest): Promise<DeletionRequest> {
    // The partial unique index keeps one open request per user, even when two nodes race.
    await sql`insert into privacy_deletion_requests (user_id, requested_at, due_at, requested_by)
      values (${request.userId}, ${request.requestedAt}, ${request.dueAt}, ${request.requestedBy})
      on conflict do nothing`.execute(this.db);
    return (await this.openDeletion(request.userId)) ?? request;
  }

  async cancelDeletion(userId: string, at: Date): Promise<boolean> {
    const result = await sql`update privacy_deletion_requests set cancelled_at = ${at}
      where user_id = ${userId} and cancelled_at is null and erased_at is null`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async dueDeletions(now: Date, limit: number): Promise<DeletionRequest[]> {
    const rows = await sql<DeletionRow>`select user_id, requested_at, due_at, requested_by
      from privacy_deletion_requests
      where cancelled_at is null and erased_at is null and due_at <= ${now}
      order by due_at limit ${limit}`.execute(this.db);
    return rows.rows.map(toDeletion);
  }

  async hasTradingAccount(userId: string): Promise<boolean> {
    const rows = await sql<{
      n: number;
    }>`select 1 as n from trading_accounts where user_id = ${userId}`.execute(this.db);
    return rows.rows.length > 0;
  }

  async signedInSince(userId: string, since: Date): Promise<boolean> {
    const rows = await sql<{ n: number }>`select 1 as n from sessions
      where user_id = ${userId} and created_at > ${since} limit 1`.execute(this.db);
    return rows.rows.length > 0;
  }

  async dump(userId: string): Promise<UserDataDump> {
    const out: UserDataDump = {};
    const present = new Set(await existingTables(this.db));
    for (const [table, spec] of Object.entries(EXPORTED_TABLES)) {
      if (!present.has(table)) continue;
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}
        where ${ownerFilter(spec.owner, userId)}`.execute(this.db);
      out[table] = rows.rows.map((row) => {
        const kept = Object.fromEntries(Object.entries(row).filter(([k]) => !(spec.omit ?? []).includes(k)));
        return spec.redact ? spec.redact(kept) : kept;
      });
    }
    return out;
  }

  async erase(
    userId: string,
    input: { at: Date; tombstoneEmail: string; unusableHash: string; by: string },
  ): Promise<boolean> {
    const tables = await tablesWithUserId(this.db);
    return this.db.transaction().execute(async (tx) => {
      // The row lock makes a second node's erasure of the same user wait, then find it done.
      const user = await sql<{
        email: string;
        erased_at: Date | null;
      }>`select email, erased_at from users where id = ${userId} for update`.execute(tx);
      const row = user.rows[0];
      if (row === undefined || row.erased_at !== null) return false;
      const email = row.email;
      // Children before parents: deliveries reference channels, cursors and firings reference signals.
      const order = ['notify_deliveries', 'notify_inbox', 'signal_firings'];
      const rest = tables.filter((t) => !order.includes(t) && !KEPT_AT_ERASURE.has(t));
      for (const table of [...order.filter((t) => tables.includes(t)), ...rest])
        await sql`delete from ${sql.table(table)} where user_id = ${userId}`.execute(tx);
      await sql`delete from sign_in_throttle where key = ${`acct:${email}`}`.execute(tx);
      await sql`update users set email = ${input.tombstoneEmail}, password_hash = ${input.unusableHash},
        role = 'viewer', mfa_enabled = false, erased_at = ${input.at} where id = ${userId}`.execute(tx);
      const closed = await sql`update privacy_deletion_requests set erased_at = ${input.at}
        where user_id = ${userId} and cancelled_at is null and erased_at is null`.execute(tx);
      if (Number(closed.numAffectedRows ?? 0) === 0)
        await sql`insert into privacy_deletion_requests (user_id, requested_at, due_at, requested_by, erased_at)
          values (${userId}, ${input.at}, ${input.at}, ${input.by}, ${input.at})`.execute(tx);
      return true;
    });
  }

  async prune(cutoffs: RetentionCutoffs, batch: number): Promise<Record<string, number>> {
    const jobs: Record<string, RawBuilder<unknown>> = {
      sessions: sql`expires_at < ${cutoffs.sessionsExpiredBefore}`,
      mfa_challenges: sql`expires_at < ${cutoffs.sessionsExpiredBefore}`,
      // Single-use sign-in material of later migrations, when present.
      webauthn_challenges: sql`expires_at < ${cutoffs.sessionsExpiredBefore}`,
      oidc_flows: sql`expires_at < ${cutoffs.sessionsExpiredBefore}`,
      email_tokens: sql`expires_at < ${cutoffs.sessionsExpiredBefore}`,
      notify_deliveries: sql`created_at < ${cutoffs.deliveriesBefore} and status in ('delivered', 'failed', 'dropped')`,
      ops_vitals: sql`at < ${cutoffs.vitalsBefore}`,
      ops_error_groups: sql`last_seen < ${cutoffs.errorsBefore}`,
      ops_check_results: sql`at < ${cutoffs.monitorResultsBefore}`,
    };
    const counts: Record<string, number> = {};
    const present = new Set(await existingTables(this.db));
    for (const [table, where] of Object.entries(jobs)) {
      if (!present.has(table)) continue;
      // ctid addresses a row in both engines; the limit bounds each statement's work.
      const result = await sql`delete from ${sql.table(table)} where ctid in
        (select ctid from ${sql.table(table)} where ${where} limit ${batch})`.execute(this.db);
      counts[table] = Number(result.numAffectedRows ?? 0);
    }
    return counts;
  }
}
