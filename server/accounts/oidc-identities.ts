import { AppError } from '../errors.js';
import type { AuditLog, UserStore } from '../ports.js';
import type { PasskeyStore } from './passkeys.js';

/** An account at an OIDC provider linked to a Pulse user: (provider, subject) is unique. */
export interface IdentityRecord {
  id: string;
  userId: string;
  provider: string;
  subject: string;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** An OIDC sign-in in progress, keyed by the hash of the id in the browser's cookie. */
export interface OidcFlowRecord {
  idHash: string;
  provider: string;
  mode: 'sign_in' | 'link';
  /** The signed-in user linking an identity (mode link). */
  userId: string | null;
  state: string;
  nonce: string;
  codeVerifier: string;
  remember: boolean;
  expiresAt: Date;
}

/** Linked identities and flows in progress (migration 0050). */
export interface IdentityStore {
  find(provider: string, subject: string): Promise<IdentityRecord | undefined>;
  listForUser(userId: string): Promise<IdentityRecord[]>;
  /** 'taken': that provider account is linked to a user already. */
  insert(identity: IdentityRecord): Promise<'inserted' | 'taken'>;
  /** Deletes one of the user's identities; false when it is not theirs or does not exist. */
  delete(userId: string, id: string): Promise<boolean>;
  touch(id: string, now: Date): Promise<void>;
  createFlow(flow: OidcFlowRecord): Promise<void>;
  /** Removes and returns a flow (each works once); undefined when unknown or expired. */
  takeFlow(idHash: string, now: Date): Promise<OidcFlowRecord | undefined>;
}

/** The password hash of an account made through single sign-on: matches no password. */
export const NO_PASSWORD = '';

/** Whether a user can sign in with a password. */
export function hasPassword(user: { passwordHash: string }): boolean {
  return user.passwordHash !== NO_PASSWORD;
}

/**
 * Unlinks one of the user's identities, refusing (AUTH_IDENTITY_LAST_METHOD) when it is the last
 * way to sign in: no password, no other identity and no passkey.
 */
export async function unlinkIdentity(
  input: { userId: string; id: string; ip: string | null },
  deps: {
    users: UserStore;
    identities: IdentityStore;
    audit: AuditLog;
    passkeys?: Pick<PasskeyStore, 'list'> | undefined;
  },
): Promise<void> {
  const user = await deps.users.findById(input.userId);
  const mine = await deps.identities.listForUser(input.userId);
  const identity = mine.find((i) => i.id === input.id);
  if (!user || !identity) throw new AppError('AUTH_NOT_FOUND', 'No such linked identity of yours.');
  const passkeys = deps.passkeys ? (await deps.passkeys.list(input.userId)).length : 0;
  if (!hasPassword(user) && mine.length <= 1 && passkeys === 0)
    throw new AppError(
      'AUTH_IDENTITY_LAST_METHOD',
      'This is your only way to sign in: set a password (Forgot password), add a passkey or link another provider first.',
    );
  if (!(await deps.identities.delete(input.userId, input.id)))
    throw new AppError('AUTH_NOT_FOUND', 'No such linked identity of yours.');
  await deps.audit.record({
    actorId: input.userId,
    action: 'auth.identity_unlinked',
    ip: input.ip,
    detail: { provider: identity.provider, subject: identity.subject },
  });
}
