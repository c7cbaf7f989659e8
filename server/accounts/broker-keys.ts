import { AppError } from '../errors.js';
import type { AuditLog } from '../ports.js';
import type { SecretVault } from './user-secrets.js';

const KIND = 'broker_keys';

/** What a client may see of saved broker keys: never the keys. */
export interface BrokerKeysView {
  keyIdLast4: string;
  scope: 'paper' | 'live';
  updatedAt: Date;
}

/** Saves (replaces) a user's Alpaca keys, encrypted; returns only what may be shown. */
export async function saveBrokerKeys(
  input: {
    userId: string;
    keyId: string;
    secretKey: string;
    scope: 'paper' | 'live';
    ip: string | null;
    now: Date;
  },
  deps: { vault: SecretVault; audit: AuditLog },
): Promise<BrokerKeysView> {
  const keyIdLast4 = input.keyId.slice(-4);
  const plaintext = JSON.stringify({ keyId: input.keyId, secretKey: input.secretKey });
  await deps.vault.put(input.userId, KIND, plaintext, { keyIdLast4, scope: input.scope }, input.now);
  await deps.audit.record({
    actorId: input.userId,
    action: 'broker_keys.saved',
    ip: input.ip,
    detail: { scope: input.scope, keyIdLast4 },
  });
  return { keyIdLast4, scope: input.scope, updatedAt: input.now };
}

/** The view of a user's saved keys, or 404 AUTH_NOT_FOUND. */
export async function viewBrokerKeys(userId: string, deps: { vault: SecretVault }): Promise<BrokerKeysView> {
  const found = await deps.vault.meta(userId, KIND);
  if (!found) throw new AppError('AUTH_NOT_FOUND', 'No broker keys saved.');
  return {
    keyIdLast4: found.meta.keyIdLast4 ?? '',
    scope: found.meta.scope === 'live' ? 'live' : 'paper',
    updatedAt: found.updatedAt,
  };
}

/** The decrypted keys, for the broker adapter only (never for a route's response). */
export async function loadBrokerKeys(
  userId: string,
  deps: { vault: SecretVault },
): Promise<{ keyId: string; secretKey: string; scope: 'paper' | 'live' } | undefined> {
  const found = await deps.vault.get(userId, KIND);
  if (!found) return undefined;
  const keys = JSON.parse(found.plaintext) as { keyId: string; secretKey: string };
  return { ...keys, scope: found.meta.scope === 'live' ? 'live' : 'paper' };
}

/** Deletes a user's keys; 404 when there were none. */
export async function deleteBrokerKeys(
  input: { userId: string; ip: string | null },
  deps: { vault: SecretVault; audit: AuditLog },
): Promise<void> {
  if (!(await deps.vault.delete(input.userId, KIND)))
    throw new AppError('AUTH_NOT_FOUND', 'No broker keys saved.');
  await deps.audit.record({ actorId: input.userId, action: 'broker_keys.deleted', ip: input.ip });
}
