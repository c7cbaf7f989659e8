import crypto from 'node:crypto';
import type { CreateOwnerBody } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
import type { AuditLog, UserRecord, UserStore } from '../ports.js';
import { hashPassword } from './passwords.js';

/** First run: creates the single owner account; refused once an owner exists. */
export async function createOwner(
  input: CreateOwnerBody & { ip: string | null },
  deps: { users: UserStore; audit: AuditLog },
): Promise<Omit<UserRecord, 'createdAt'>> {
  if (await deps.users.hasOwner())
    throw new AppError('AUTH_SETUP_COMPLETE', 'The owner account exists already; sign in.');
  const user = {
    id: crypto.randomUUID(),
    email: input.email,
    passwordHash: await hashPassword(input.password),
    role: 'owner' as const,
  };
  const result = await deps.users.insert(user);
  // The unique index decides a race between two first-run requests: exactly one wins.
  if (result !== 'inserted')
    throw new AppError('AUTH_SETUP_COMPLETE', 'The owner account exists already; sign in.');
  await deps.audit.record({ actorId: user.id, action: 'auth.owner_created', ip: input.ip });
  return user;
}
