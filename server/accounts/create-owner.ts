import crypto from 'node:crypto';
import type { CreateOwnerBody } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
import type { AuditLog, NewUser, UserStore } from '../ports.js';
import { hashPassword } from './passwords.js';
import { assertStrongPassword } from './password-policy.js';

/** First run: creates the single owner account; refused once an owner exists. */
export async function createOwner(
  input: CreateOwnerBody & { ip: string | null },
  deps: { users: UserStore; audit: AuditLog },
): Promise<NewUser> {
  if (await deps.users.hasOwner())
    throw new AppError('AUTH_SETUP_COMPLETE', 'The owner account exists already; sign in.');
  assertStrongPassword(input.password, input.email);
  const user = {
    id: crypto.randomUUID(),
    email: input.email,
    passwordHash: await hashPassword(input.password),
    role: 'owner' as const,
  };
  // The store decides a race between two first-run requests: exactly one wins.
  const result = await deps.users.insertFirstOwner(user);
  if (result !== 'inserted')
    throw new AppError('AUTH_SETUP_COMPLETE', 'The owner account exists already; sign in.');
  await deps.audit.record({ actorId: user.id, action: 'auth.owner_created', ip: input.ip });
  return user;
}
