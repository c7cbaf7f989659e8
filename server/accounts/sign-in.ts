import type { LoginBody } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
import type { AuditLog, UserRecord, UserStore } from '../ports.js';
import { verifyPassword } from './passwords.js';

/** Checks e-mail and password; the same error (and time) whether the e-mail exists or not. */
export async function signIn(
  input: LoginBody & { ip: string | null },
  deps: { users: UserStore; audit: AuditLog },
): Promise<UserRecord> {
  const user = await deps.users.findByEmail(input.email);
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) {
    await deps.audit.record({ actorId: user?.id ?? null, action: 'auth.sign_in_failed', ip: input.ip });
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'E-mail or password is incorrect.');
  }
  await deps.audit.record({ actorId: user.id, action: 'auth.signed_in', ip: input.ip });
  return user;
}
