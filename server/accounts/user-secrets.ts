import { decryptSecret, encryptSecret, type Keyring } from '../crypto/envelope.js';
import type { UserSecretStore } from '../ports.js';

/** Seals and opens a user's secrets; the context binds each envelope to its user and kind. */
export class SecretVault {
  constructor(
    private readonly ring: Keyring,
    private readonly store: UserSecretStore,
  ) {}

  /** Encrypts and stores `plaintext` (replacing any previous secret of this kind). */
  async put(
    userId: string,
    kind: string,
    plaintext: string,
    meta: Record<string, string>,
    now: Date,
  ): Promise<void> {
    const envelope = encryptSecret(this.ring, plaintext, `${userId}/${kind}`);
    await this.store.put({ userId, kind, envelope, meta, updatedAt: now });
  }

  /** The decrypted secret and its metadata, or undefined when there is none. */
  async get(
    userId: string,
    kind: string,
  ): Promise<{ plaintext: string; meta: Readonly<Record<string, string>>; updatedAt: Date } | undefined> {
    const record = await this.store.get(userId, kind);
    if (!record) return undefined;
    return {
      plaintext: decryptSecret(this.ring, record.envelope, `${userId}/${kind}`),
      meta: record.meta,
      updatedAt: record.updatedAt,
    };
  }

  /** Metadata only: never decrypts. */
  async meta(
    userId: string,
    kind: string,
  ): Promise<{ meta: Readonly<Record<string, string>>; updatedAt: Date } | undefined> {
    const record = await this.store.get(userId, kind);
    return record && { meta: record.meta, updatedAt: record.updatedAt };
  }

  delete(userId: string, kind: string): Promise<boolean> {
    return this.store.delete(userId, kind);
  }
}
