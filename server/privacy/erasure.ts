import crypto from 'node:crypto';
import type { DeletionStatusJson } from '../../contracts/privacy.js';
import { verifyPassword } from '../accounts/passwords.js';
import type { Role } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
import type { AuditLog, SessionStore, UserRecord, UserStore } from '../ports.js';
import type { DeletionRequest, PrivacyStore } from './privacy-store.js';

/** What erasure needs. */
export interface ErasureDeps {
  privacy: PrivacyStore;
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  /** Days between the request and the erasure (ERASURE_GRACE_DAYS). */
  graceDays: number;
  /** Cancels the user's open paper orders, so an erased account stops trading; omitted without trading. */
  cancelOpenOrders?: (userId: string) => Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The e-mail an erased user is left with: unique, unroutable (.invalid) and free of personal data. */
export function tombstoneEmail(userId: string): string {
  return `erased-${userId}@erased.invalid`;
}

async function assertNotLastOwner(user: UserRecord, users: UserStore): Promise<void> {
  if (user.role !== 'owner') return;
  const owners = (await users.list()).filter((u) => u.role === 'owner');
  if (owners.length <= 1)
    throw new AppError('AUTH_LAST_OWNER', 'This is the last owner: make someone else an owner first.');
}

function present(request: DeletionRequest | undefined, graceDays: number): DeletionStatusJson {
  return {
    scheduled: request !== undefined,
    requestedAt: request?.requestedAt.toISOString() ?? null,
    dueAt: request?.dueAt.toISOString() ?? null,
    graceDays,
  };
}

/**
 * Schedules the caller's account for erasure after the grace period. The password is asked again;
 * every other session ends (signing in again, or DELETE /me/delete, cancels).
 */
export async function requestDeletion(
  input: {
    user: UserRecord;
    password: string;
    keepTokenHash: string | undefined;
    ip: string | null;
    now: Date;
  },
  deps: ErasureDeps,
): Promise<DeletionStatusJson> {
  if (!(await verifyPassword(input.user.passwordHash, input.password)))
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'The password is incorrect.');
  await assertNotLastOwner(input.user, deps.users);
  const request = await deps.privacy.scheduleDeletion({
    userId: input.user.id,
    requestedAt: input.now,
    dueAt: new Date(input.now.getTime() + deps.graceDays * DAY_MS),
    requestedBy: input.user.id,
  });
  await deps.sessions.deleteAllForUser(input.user.id, input.keepTokenHash);
  await deps.audit.record({
    actorId: input.user.id,
    action: 'privacy.deletion_requested',
    ip: input.ip,
    detail: { userId: input.user.id, dueAt: request.dueAt.toISOString() },
  });
  return present(request, deps.graceDays);
}

/** Cancels the caller's scheduled deletion. */
export async function cancelDeletion(
  input: { userId: string; ip: string | null; now: Date; reason: 'cancelled' | 'signed_in' },
  deps: Pick<ErasureDeps, 'privacy' | 'audit' | 'graceDays'>,
): Promise<DeletionStatusJson> {
  if (!(await deps.privacy.cancelDeletion(input.userId, input.now)))
    throw new AppError('AUTH_DELETION_NOT_SCHEDULED', 'No account deletion is scheduled.');
  await deps.audit.record({
    actorId: input.userId,
    action: 'privacy.deletion_cancelled',
    ip: input.ip,
    detail: { userId: input.userId, reason: input.reason },
  });
  return present(undefined, deps.graceDays);
}

/** The caller's deletion status; a sign-in since the request cancels it (and says so in the audit log). */
export async function deletionStatus(
  input: { userId: string; now: Date },
  deps: Pick<ErasureDeps, 'privacy' | 'audit' | 'graceDays'>,
): Promise<DeletionStatusJson> {
  const open = await deps.privacy.openDeletion(input.userId);
  if (open && (await deps.privacy.signedInSince(input.userId, open.requestedAt)))
    return cancelDeletion({ userId: input.userId, ip: null, now: input.now, reason: 'signed_in' }, deps);
  return present(open, deps.graceDays);
}

/**
 * Erases a user now: personal data deleted or anonymised, the audit log untouched (see
 * docs/decisions/0004); false (and no audit row) when they were erased already.
 */
export async function eraseUser(
  input: { userId: string; by: string | null; ip: string | null; now: Date },
  deps: Pick<ErasureDeps, 'privacy' | 'audit' | 'cancelOpenOrders'>,
): Promise<boolean> {
  // Orders and fills are kept for accounting, but nothing may go on trading for an erased user.
  if (deps.cancelOpenOrders && (await deps.privacy.hasTradingAccount(input.userId)))
    await deps.cancelOpenOrders(input.userId);
  const erased = await deps.privacy.erase(input.userId, {
    at: input.now,
    tombstoneEmail: tombstoneEmail(input.userId),
    // Not a PHC string: no password can ever verify against it.
    unusableHash: `erased:${crypto.randomBytes(16).toString('hex')}`,
    by: input.by ?? input.userId,
  });
  if (!erased) return false;
  await deps.audit.record({
    actorId: input.by,
    action: 'privacy.erased',
    ip: input.ip,
    detail: { userId: input.userId },
  });
  return true;
}

/** An owner or admin erases another user at once; admins cannot erase owners, nobody the last owner. */
export async function eraseUserAsAdmin(
  input: { targetId: string; actor: { id: string; role: Role }; ip: string | null; now: Date },
  deps: ErasureDeps,
): Promise<void> {
  const target = await deps.users.findById(input.targetId);
  if (!target || target.email === tombstoneEmail(target.id))
    throw new AppError('AUTH_NOT_FOUND', 'No such user.');
  if (target.id === input.actor.id)
    throw new AppError('AUTH_FORBIDDEN', 'Delete your own account from Settings → Privacy.');
  if (target.role === 'owner' && input.actor.role !== 'owner')
    throw new AppError('AUTH_FORBIDDEN', 'Only an owner may erase an owner.');
  await assertNotLastOwner(target, deps.users);
  await eraseUser({ userId: target.id, by: input.actor.id, ip: input.ip, now: input.now }, deps);
}

/**
 * Carries out deletions whose grace period has ended, at most `limit` per run; one whose user has
 * signed in since asking is cancelled instead. Returns how many were erased.
 */
export async function runDueErasures(
  input: { now: Date; limit: number },
  deps: Pick<ErasureDeps, 'privacy' | 'audit' | 'graceDays' | 'cancelOpenOrders'>,
): Promise<number> {
  let erased = 0;
  for (const due of await deps.privacy.dueDeletions(input.now, input.limit)) {
    if (await deps.privacy.signedInSince(due.userId, due.requestedAt)) {
      await cancelDeletion({ userId: due.userId, ip: null, now: input.now, reason: 'signed_in' }, deps);
      continue;
    }
    if (await eraseUser({ userId: due.userId, by: null, ip: null, now: input.now }, deps)) erased++;
  }
  return erased;
}
