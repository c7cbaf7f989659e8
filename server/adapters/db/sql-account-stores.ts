import type { Kysely, Selectable } from 'kysely';
import type {
  ApiTokenRecord,
  ApiTokenStore,
  MfaStore,
  SettingsStore,
  SignInThrottleStore,
  ThrottleRecord,
  UserSecretRecord,
  UserSecretStore,
} from '../../ports.js';
import type { ApiTokensTable, Database, UserSecretsTable } from './schema.js';

function toToken(row: Selectable<ApiTokensTable>): ApiTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    scope: row.scope,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** ApiTokenStore over `api_tokens`; every query by id is filtered by the owner. */
export class SqlApiTokenStore implements ApiTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(t: ApiTokenRecord): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: t.id,
        user_id: t.userId,
        name: t.name,
        token_hash: t.tokenHash,
        scope: t.scope,
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        last_used_at: t.lastUsedAt,
        revoked_at: t.revokedAt,
      })
      .execute();
  }

  async findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toToken(row);
  }

  async list(userId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toToken);
  }

  async revoke(userId: string, id: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}

/** SignInThrottleStore over `sign_in_throttle`. */
export class SqlSignInThrottleStore implements SignInThrottleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<ThrottleRecord | undefined> {
    const row = await this.db
      .selectFrom('sign_in_throttle')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    return (
      row && { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until }
    );
  }

  async put(key: string, r: ThrottleRecord): Promise<void> {
    const values = { failures: r.failures, last_failure_at: r.lastFailureAt, locked_until: r.lockedUntil };
    await this.db
      .insertInto('sign_in_throttle')
      .values({ key, ...values })
      .onConflict((oc) => oc.column('key').doUpdateSet(values))
      .execute();
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
  }
}

function toSecret(row: Selectable<UserSecretsTable>): UserSecretRecord {
  return {
    userId: row.user_id,
    kind: row.kind,
    envelope: row.envelope,
    meta: JSON.parse(row.meta) as Record<string, string>,
    updatedAt: row.updated_at,
  };
}

/** UserSecretStore over `user_secrets` (envelopes only; this store never sees plaintext). */
export class SqlUserSecretStore implements UserSecretStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(userId: string, kind: string): Promise<UserSecretRecord | undefined> {
    const row = await this.db
      .selectFrom('user_secrets')
      .selectAll()
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row && toSecret(row);
  }

  async put(r: UserSecretRecord): Promise<void> {
    const values = { envelope: r.envelope, meta: JSON.stringify(r.meta), updated_at: r.updatedAt };
    await this.db
      .insertInto('user_secrets')
      .values({ user_id: r.userId, kind: r.kind, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet(values))
      .execute();
  }

  async delete(userId: string, kind: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('user_secrets')
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async all(): Promise<UserSecretRecord[]> {
    const rows = await this.db
      .selectFrom('user_secrets')
      .selectAll()
      .orderBy('user_id')
      .orderBy('kind')
      .execute();
    return rows.map(toSecret);
  }

  async replaceEnvelopes(records: readonly UserSecretRecord[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const r of records) {
        await tx
          .updateTable('user_secrets')
          .set({ envelope: r.envelope })
          .where('user_id', '=', r.userId)
          .where('kind', '=', r.kind)
          .execute();
      }
    });
  }
}

/** MfaStore over `mfa_recovery_codes` and `mfa_challenges`. */
export class SqlMfaStore implements MfaStore {
  constructor(private readonly db: Kysely<Database>) {}

  async replaceRecoveryCodes(userId: string, codeHashes: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
      if (codeHashes.length > 0)
        await tx
          .insertInto('mfa_recovery_codes')
          .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
          .execute();
    });
  }

  async useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('mfa_recovery_codes')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('mfa_recovery_codes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async createChallenge(c: {
    idHash: string;
    userId: string;
    remember: boolean;
    expiresAt: Date;
  }): Promise<void> {
    await this.db
      .insertInto('mfa_challenges')
      .values({ id_hash: c.idHash, user_id: c.userId, remember: c.remember, expires_at: c.expiresAt })
      .execute();
  }

  async attemptChallenge(
    idHash: string,
    now: Date,
    maxAttempts: number,
  ): Promise<{ userId: string; remember: boolean } | undefined> {
    const row = await this.db
      .updateTable('mfa_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .where('attempts', '<', maxAttempts)
      .returning(['user_id', 'remember'])
      .executeTakeFirst();
    return row && { userId: row.user_id, remember: row.remember };
  }

  async deleteChallenge(idHash: string): Promise<void> {
    await this.db.deleteFrom('mfa_challenges').where('id_hash', '=', idHash).execute();
  }
}

/** SettingsStore over `settings`. */
export class SqlSettingsStore implements SettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
      .execute();
  }
}
