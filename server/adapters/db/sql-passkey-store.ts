import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { PasskeyPurpose, PasskeyRecord, PasskeyStore } from '../../accounts/passkeys.js';
import type { Database } from './schema.js';

type Timestamptz = ColumnType<Date, Date | string, Date | string>;

/** `passkeys` (migration 0090). */
interface PasskeysTable {
  id: string;
  user_id: string;
  name: string;
  public_key: string;
  counter: ColumnType<string, number, number>;
  transports: string;
  device_type: string;
  backed_up: boolean;
  created_at: Timestamptz;
  last_used_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** `webauthn_challenges` (migration 0090). */
interface WebauthnChallengesTable {
  id_hash: string;
  purpose: PasskeyPurpose;
  user_id: string | null;
  challenge: string;
  remember: boolean;
  expires_at: Timestamptz;
}

type PasskeyTables = { passkeys: PasskeysTable; webauthn_challenges: WebauthnChallengesTable };

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function toPasskey(row: Selectable<PasskeysTable>): PasskeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: row.transports === '' ? [] : row.transports.split(','),
    deviceType: row.device_type,
    backedUp: row.backed_up,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** PasskeyStore over `passkeys` and `webauthn_challenges`. */
export class SqlPasskeyStore implements PasskeyStore {
  private readonly db: Kysely<Database & PasskeyTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<PasskeyTables>();
  }

  async list(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.db
      .selectFrom('passkeys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map(toPasskey);
  }

  async find(id: string): Promise<PasskeyRecord | undefined> {
    const row = await this.db.selectFrom('passkeys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toPasskey(row);
  }

  async insert(p: PasskeyRecord): Promise<boolean> {
    try {
      await this.db
        .insertInto('passkeys')
        .values({
          id: p.id,
          user_id: p.userId,
          name: p.name,
          public_key: p.publicKey,
          counter: p.counter,
          transports: p.transports.join(','),
          device_type: p.deviceType,
          backed_up: p.backedUp,
          created_at: p.createdAt,
          last_used_at: p.lastUsedAt,
        })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async touch(id: string, counter: number, at: Date): Promise<void> {
    await this.db.updateTable('passkeys').set({ counter, last_used_at: at }).where('id', '=', id).execute();
  }

  async rename(userId: string, id: string, name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('passkeys')
      .set({ name })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('passkeys')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async deleteAll(userId: string): Promise<void> {
    await this.db.deleteFrom('passkeys').where('user_id', '=', userId).execute();
  }

  async saveChallenge(flow: {
    idHash: string;
    purpose: PasskeyPurpose;
    userId: string | null;
    challenge: string;
    remember: boolean;
    expiresAt: Date;
  }): Promise<void> {
    const values = {
      id_hash: flow.idHash,
      purpose: flow.purpose,
      user_id: flow.userId,
      challenge: flow.challenge,
      remember: flow.remember,
      expires_at: flow.expiresAt,
    };
    // Asking again for the same sign-in's options replaces its challenge.
    await this.db
      .insertInto('webauthn_challenges')
      .values(values)
      .onConflict((c) =>
        c.column('id_hash').doUpdateSet({ challenge: values.challenge, expires_at: values.expires_at }),
      )
      .execute();
  }

  async takeChallenge(
    idHash: string,
    purpose: PasskeyPurpose,
    now: Date,
  ): Promise<{ userId: string | null; challenge: string; remember: boolean } | undefined> {
    // Delete-returning: of two racing uses, exactly one gets the challenge.
    const row = await this.db
      .deleteFrom('webauthn_challenges')
      .where('id_hash', '=', idHash)
      .where('purpose', '=', purpose)
      .returning(['user_id', 'challenge', 'remember', 'expires_at'])
      .executeTakeFirst();
    await this.db.deleteFrom('webauthn_challenges').where('expires_at', '<', now).execute();
    if (!row || row.expires_at.getTime() <= now.getTime()) return undefined;
    return { userId: row.user_id, challenge: row.challenge, remember: row.remember };
  }
}
