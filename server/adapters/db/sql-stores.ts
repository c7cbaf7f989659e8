import type { Kysely, Selectable } from 'kysely';
import type {
  AuditEvent,
  AuditLog,
  InsertUserResult,
  SessionRecord,
  SessionStore,
  UserRecord,
  UserStore,
} from '../../ports.js';
import type { Database, UsersTable } from './schema.js';

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
  };
}

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

  async insert(user: Omit<UserRecord, 'createdAt'>): Promise<InsertUserResult> {
    try {
      await this.db
        .insertInto('users')
        .values({ id: user.id, email: user.email, password_hash: user.passwordHash, role: user.role })
        .execute();
      return 'inserted';
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return error.constraint === 'users_single_owner' ? 'duplicate_owner' : 'duplicate_email';
    }
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
      })
      .execute();
  }

  async find(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      tokenHash: row.token_hash,
      userId: row.user_id,
      csrfToken: row.csrf_token,
      userAgent: row.user_agent,
      ip: row.ip,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
    };
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

/** AuditLog over the `audit_log` table. */
export class SqlAuditLog implements AuditLog {
  constructor(private readonly db: Kysely<Database>) {}

  async record(event: AuditEvent): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        actor_id: event.actorId,
        action: event.action,
        ip: event.ip,
        detail: JSON.stringify(event.detail ?? {}),
      })
      .execute();
  }
}
