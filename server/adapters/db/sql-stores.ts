import { type Kysely, type Selectable, sql } from 'kysely';
import type { Role } from '../../../contracts/auth.js';
import { chainHash } from '../../accounts/audit-chain.js';
import type {
  AuditEntry,
  AuditEvent,
  AuditLog,
  AuditQuery,
  AuditReader,
  InsertUserResult,
  NewUser,
  SessionRecord,
  SessionStore,
  UserRecord,
  UserStore,
} from '../../ports.js';
import type { AuditLogTable, Database, SessionsTable, UsersTable } from './schema.js';

function isUniqueViolation(error: unknown): error is { code: string; constraint?: string } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    role: row.role,
    createdAt: row.created_at,
    mfaEnabled: row.mfa_enabled,
    emailVerified: row.email_verified_at !== null,
  };
}

function toSession(row: Selectable<SessionsTable>): SessionRecord {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    id: row.id,
    persistent: row.persistent,
  };
}

const OWNER_CREATED = 'setup.owner_created';

/** UserStore over the `users` table (PGlite or PostgreSQL). */
export class SqlUserStore implements UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async hasOwner(): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'owner')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insert(user: NewUser): Promise<InsertUserResult> {
    try {
      await this.db
        .insertInto('users')
        .values({ id: user.id, email: user.email, password_hash: user.passwordHash, role: user.role })
        .execute();
      return 'inserted';
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return 'duplicate_email';
    }
  }

  async insertFirstOwner(user: NewUser): Promise<InsertUserResult> {
    // The settings row's primary key decides a race between two first-run requests: one wins.
    return this.db.transaction().execute(async (tx) => {
      const claimed = await tx
        .insertInto('settings')
        .values({ key: OWNER_CREATED, value: 'true' })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!claimed) return 'duplicate_owner';
      await tx
        .insertInto('users')
        .values({ id: user.id, email: user.email, password_hash: user.passwordHash, role: 'owner' })
        .execute();
      return 'inserted';
    });
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .orderBy('created_at')
      .orderBy('email')
      .execute();
    return rows.map(toUser);
  }

  async setRole(id: string, role: Role): Promise<'updated' | 'not_found' | 'last_owner'> {
    return this.db.transaction().execute(async (tx) => {
      // Lock every owner row: two owners demoting each other at once serialise here, and the
      // second sees one owner left.
      const owners = await tx
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'owner')
        .forUpdate()
        .execute();
      const user = await tx.selectFrom('users').select('role').where('id', '=', id).executeTakeFirst();
      if (!user) return 'not_found';
      if (user.role === 'owner' && role !== 'owner' && owners.length <= 1) return 'last_owner';
      await tx.updateTable('users').set({ role }).where('id', '=', id).execute();
      return 'updated';
    });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  async setMfaEnabled(id: string, enabled: boolean): Promise<void> {
    await this.db.updateTable('users').set({ mfa_enabled: enabled }).where('id', '=', id).execute();
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toUser(row);
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }
}

/** SessionStore over the `sessions` table. */
export class SqlSessionStore implements SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(s: SessionRecord): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: s.tokenHash,
        user_id: s.userId,
        csrf_token: s.csrfToken,
        user_agent: s.userAgent,
        ip: s.ip,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        expires_at: s.expiresAt,
        id: s.id,
        persistent: s.persistent,
      })
      .execute();
  }

  async find(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toSession(row);
  }

  async listForUser(userId: string): Promise<SessionRecord[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('last_seen_at', 'desc')
      .execute();
    return rows.map(toSession);
  }

  async deleteById(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async deleteAllForUser(userId: string, keepTokenHash?: string): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepTokenHash !== undefined) query = query.where('token_hash', '<>', keepTokenHash);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async touch(tokenHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }
}

function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: String(row.id),
    at: row.at,
    actorId: row.actor_id,
    action: row.action,
    ip: row.ip,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

// Any 64-bit constant: the advisory lock that serialises appends to the audit chain across nodes.
const AUDIT_CHAIN_LOCK = 7_406_221_813;

/** AuditLog over the `audit_log` table: appends are serialised and hash-chained. */
export class SqlAuditLog implements AuditLog, AuditReader {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(event: AuditEvent): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(tx);
      const last = await tx
        .selectFrom('audit_log')
        .select('hash')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const { rows } = await sql<{ id: string }>`select nextval('audit_log_id_seq')::text as id`.execute(tx);
      const entry = {
        id: rows[0]?.id ?? '',
        // Millisecond precision, so the stored instant reads back exactly as hashed.
        at: new Date(this.now().getTime()),
        actorId: event.actorId,
        action: event.action,
        ip: event.ip,
        detail: JSON.stringify(event.detail ?? {}),
      };
      const prevHash = last?.hash ?? '';
      await tx
        .insertInto('audit_log')
        .values({
          id: entry.id,
          at: entry.at,
          actor_id: entry.actorId,
          action: entry.action,
          ip: entry.ip,
          detail: entry.detail,
          prev_hash: prevHash,
          hash: chainHash(prevHash, entry),
        })
        .execute();
    });
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (query.actorId !== undefined) q = q.where('actor_id', '=', query.actorId);
    if (query.action !== undefined) q = q.where('action', '=', query.action);
    if (query.since !== undefined) q = q.where('at', '>=', query.since);
    if (query.until !== undefined) q = q.where('at', '<', query.until);
    const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toAuditEntry);
  }

  async *scan(): AsyncIterable<AuditEntry> {
    let after = '0';
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(500)
        .execute();
      for (const row of rows) yield toAuditEntry(row);
      const last = rows.at(-1);
      if (!last || rows.length < 500) return;
      after = String(last.id);
    }
  }
}
