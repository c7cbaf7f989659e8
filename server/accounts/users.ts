import crypto from 'node:crypto';
import type { Role } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
import type { AuditLog, SessionStore, UserRecord, UserStore } from '../ports.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { assertStrongPassword } from './password-policy.js';
import { grantableRoles } from './policy.js';

/** Who is acting, for permission checks and the audit log. */
export interface Actor {
  id: string | null;
  role: Role | null;
  ip: string | null;
}

/**
 * Creates a user. An owner may grant any role, an admin any but owner; `actor.role` null is open
 * sign-up (the route checks SIGNUP=open), which always makes a trader.
 */
export async function createUser(
  input: { email: string; password: string; role: Role; actor: Actor },
  deps: { users: UserStore; audit: AuditLog },
): Promise<UserRecord> {
  const role = input.actor.role === null ? 'trader' : input.role;
  if (input.actor.role !== null && !grantableRoles(input.actor.role).includes(role))
    throw new AppError('AUTH_FORBIDDEN', `A ${input.actor.role} may not create a user with role ${role}.`);
  assertStrongPassword(input.password, input.email);
  const user = {
    id: crypto.randomUUID(),
    email: input.email,
    passwordHash: await hashPassword(input.password),
    role,
  };
  if ((await deps.users.insert(user)) !== 'inserted')
    throw new AppError('AUTH_EMAIL_TAKEN', 'A user with this e-mail exists already.');
  await deps.audit.record({
    actorId: input.actor.id ?? user.id,
    action: input.actor.role === null ? 'user.signed_up' : 'user.created',
    ip: input.actor.ip,
    detail: { userId: user.id, email: user.email, role },
  });
  return { ...user, createdAt: new Date(), mfaEnabled: false };
}

/** Changes a user's role (owners only, enforced by the route); the last owner cannot be demoted. */
export async function changeRole(
  input: { userId: string; role: Role; actor: Actor },
  deps: { users: UserStore; audit: AuditLog },
): Promise<UserRecord> {
  const before = await deps.users.findById(input.userId);
  const result = await deps.users.setRole(input.userId, input.role);
  if (result === 'not_found' || !before) throw new AppError('AUTH_NOT_FOUND', 'No such user.');
  if (result === 'last_owner')
    throw new AppError('AUTH_LAST_OWNER', 'This is the last owner: promote someone else to owner first.');
  await deps.audit.record({
    actorId: input.actor.id,
    action: 'user.role_changed',
    ip: input.actor.ip,
    detail: { userId: input.userId, from: before.role, to: input.role },
  });
  return { ...before, role: input.role };
}

/**
 * Changes the caller's password: the current one is required, the new one must pass the policy,
 * and every other session of the user ends.
 */
export async function changePassword(
  input: {
    user: UserRecord;
    currentPassword: string;
    newPassword: string;
    keepTokenHash: string;
    ip: string | null;
  },
  deps: { users: UserStore; sessions: SessionStore; audit: AuditLog },
): Promise<{ endedSessions: number }> {
  if (!(await verifyPassword(input.user.passwordHash, input.currentPassword)))
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'The current password is incorrect.');
  assertStrongPassword(input.newPassword, input.user.email);
  await deps.users.setPasswordHash(input.user.id, await hashPassword(input.newPassword));
  const endedSessions = await deps.sessions.deleteAllForUser(input.user.id, input.keepTokenHash);
  await deps.audit.record({
    actorId: input.user.id,
    action: 'auth.password_changed',
    ip: input.ip,
    detail: { endedSessions },
  });
  return { endedSessions };
}
