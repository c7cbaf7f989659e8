import type { ColumnType, Kysely, Selectable } from 'kysely';
import type {
  ConsumeResult,
  EmailTokenPurpose,
  EmailTokenRecord,
  EmailTokenStore,
} from '../../accounts/email-tokens.js';
import type { IdentityRecord, IdentityStore, OidcFlowRecord } from '../../accounts/oidc-identities.js';
import type { Database } from './schema.js';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

type Timestamptz = ColumnType<Date, Date | string, Date | string>;

/** `email_tokens` (migration 0050): hashes of e-mailed single-use tokens. */
interface EmailTokensTable {
  token_hash: string;
  user_id: string;
  purpose: EmailTokenPurpose;
  email: string;
  created_at: Timestamptz;
  expires_at: Timestamptz;
  used_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** `user_identities` (migration 0050). */
interface UserIdentitiesTable {
  id: string;
  user_id: string;
  provider: string;
  subject: string;
  email: string | null;
  created_at: Timestamptz;
  last_used_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** `oidc_flows` (migration 0050). */
interface OidcFlowsTable {
  id_hash: string;
  provider: string;
  mode: 'sign_in' | 'link';
  user_id: string | null;
  state: string;
  nonce: string;
  code_verifier: string;
  remember: boolean;
  expires_at: Timestamptz;
}

type IdentityTables = {
  email_tokens: EmailTokensTable;
  user_identities: UserIdentitiesTable;
  oidc_flows: OidcFlowsTable;
};

function toEmailToken(row: Selectable<EmailTokensTable>): EmailTokenRecord {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    purpose: row.purpose,
    email: row.email,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

function toIdentity(row: Selectable<UserIdentitiesTable>): IdentityRecord {
  return {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    subject: row.subject,
    email: row.email,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** EmailTokenStore over `email_tokens` and `users.email_verified_at`. */
export class SqlEmailTokenStore implements EmailTokenStore {
  private readonly db: Kysely<Database & IdentityTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<IdentityTables>();
  }

  async insert(t: EmailTokenRecord): Promise<void> {
    await this.db
      .insertInto('email_tokens')
      .values({
        token_hash: t.tokenHash,
        user_id: t.userId,
        purpose: t.purpose,
        email: t.email,
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        used_at: t.usedAt,
      })
      .execute();
  }

  async find(tokenHash: string): Promise<EmailTokenRecord | undefined> {
    const row = await this.db
      .selectFrom('email_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toEmailToken(row);
  }

  async consume(tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<ConsumeResult> {
    // One conditional update: of two racing uses, exactly one matches the row.
    const used = await this.db
      .updateTable('email_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    if (used) return { outcome: 'ok', token: toEmailToken(used) };
    const row = await this.find(tokenHash);
    if (!row || row.purpose !== purpose) return { outcome: 'unknown' };
    return { outcome: row.usedAt !== null ? 'used' : 'expired' };
  }

  async recent(
    userId: string,
    purpose: EmailTokenPurpose,
    since: Date,
  ): Promise<{ count: number; last: Date | undefined }> {
    const row = await this.db
      .selectFrom('email_tokens')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.max('created_at').as('last')])
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('created_at', '>', since)
      .executeTakeFirst();
    const last = row?.last ?? null;
    return { count: Number(row?.count ?? 0), last: last === null ? undefined : new Date(last) };
  }

  async revokeAll(userId: string, purpose: EmailTokenPurpose, now: Date): Promise<void> {
    await this.db
      .updateTable('email_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }

  async markVerified(userId: string, email: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set((eb) => ({ email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)) }))
      .where('id', '=', userId)
      .where('email', '=', email)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async isVerified(userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('email_verified_at')
      .where('id', '=', userId)
      .executeTakeFirst();
    return row?.email_verified_at != null;
  }
}

/** IdentityStore over `user_identities` and `oidc_flows`. */
export class SqlIdentityStore implements IdentityStore {
  private readonly db: Kysely<Database & IdentityTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<IdentityTables>();
  }

  async find(provider: string, subject: string): Promise<IdentityRecord | undefined> {
    const row = await this.db
      .selectFrom('user_identities')
      .selectAll()
      .where('provider', '=', provider)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row && toIdentity(row);
  }

  async listForUser(userId: string): Promise<IdentityRecord[]> {
    const rows = await this.db
      .selectFrom('user_identities')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map(toIdentity);
  }

  async insert(i: IdentityRecord): Promise<'inserted' | 'taken'> {
    try {
      await this.db
        .insertInto('user_identities')
        .values({
          id: i.id,
          user_id: i.userId,
          provider: i.provider,
          subject: i.subject,
          email: i.email,
          created_at: i.createdAt,
          last_used_at: i.lastUsedAt,
        })
        .execute();
      return 'inserted';
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return 'taken';
    }
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('user_identities')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.db.updateTable('user_identities').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  async createFlow(f: OidcFlowRecord): Promise<void> {
    // Flows nobody finished are swept as new ones start.
    await this.db.deleteFrom('oidc_flows').where('expires_at', '<=', new Date()).execute();
    await this.db
      .insertInto('oidc_flows')
      .values({
        id_hash: f.idHash,
        provider: f.provider,
        mode: f.mode,
        user_id: f.userId,
        state: f.state,
        nonce: f.nonce,
        code_verifier: f.codeVerifier,
        remember: f.remember,
        expires_at: f.expiresAt,
      })
      .execute();
  }

  async takeFlow(idHash: string, now: Date): Promise<OidcFlowRecord | undefined> {
    const row = await this.db
      .deleteFrom('oidc_flows')
      .where('id_hash', '=', idHash)
      .returningAll()
      .executeTakeFirst();
    if (!row || row.expires_at.getTime() <= now.getTime()) return undefined;
    return {
      idHash: row.id_hash,
      provider: row.provider,
      mode: row.mode,
      userId: row.user_id,
      state: row.state,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      remember: row.remember,
      expiresAt: row.expires_at,
    };
  }
}
