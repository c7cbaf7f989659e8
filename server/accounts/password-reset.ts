import { AppError } from '../errors.js';
import type { AuditLog, SessionStore, UserStore } from '../ports.js';
import { appLink, deliver, type EmailFlowDeps, resetMessage } from './email-messages.js';
import { consumeEmailToken, type EmailTokenStore, issueEmailToken } from './email-tokens.js';
import { hashPassword } from './passwords.js';
import { assertStrongPassword } from './password-policy.js';
import { hashToken } from './sessions.js';

/** What password reset needs. */
export interface PasswordResetDeps extends EmailFlowDeps {
  users: UserStore;
  sessions: SessionStore;
  emailTokens: EmailTokenStore;
  audit: AuditLog;
  now: () => Date;
}

/** At most this many reset e-mails per account and hour; further requests are answered the same and dropped. */
export const RESETS_PER_HOUR = 3;

/**
 * Asks for a reset link. The caller answers the same (202) whatever happens here; the work that
 * depends on whether the account exists runs after the answer (see the route), so neither the
 * response nor its timing tells whether the address has an account.
 */
export async function forgotPassword(
  input: { email: string; ip: string | null },
  deps: PasswordResetDeps,
): Promise<void> {
  const user = await deps.users.findByEmail(input.email);
  if (!user) {
    await deps.audit.record({
      actorId: null,
      action: 'auth.password_reset_requested',
      ip: input.ip,
      detail: { email: input.email, known: false },
    });
    return;
  }
  const now = deps.now();
  const { count } = await deps.emailTokens.recent(user.id, 'reset', new Date(now.getTime() - 3_600_000));
  const limited = count >= RESETS_PER_HOUR;
  await deps.audit.record({
    actorId: user.id,
    action: 'auth.password_reset_requested',
    ip: input.ip,
    detail: { email: input.email, known: true, ...(limited && { dropped: 'rate_limited' }) },
  });
  if (limited || !deps.mailEnabled) return;
  const token = await issueEmailToken(
    { userId: user.id, email: user.email, purpose: 'reset', now },
    deps.emailTokens,
  );
  await deliver(deps, resetMessage(user.email, appLink(deps.publicUrl, '/reset-password', token)));
}

/**
 * Sets a new password with the token from the link: the policy applies, the token works once,
 * every other reset link and every session of the user end, and the address counts as verified
 * (the link reached it).
 */
export async function resetPassword(
  input: { token: string; password: string; ip: string | null },
  deps: PasswordResetDeps,
): Promise<{ endedSessions: number }> {
  const now = deps.now();
  // Check the policy before using the token up, so a weak choice does not burn the link.
  const pending = await deps.emailTokens.find(hashToken(input.token));
  const pendingUser = pending?.purpose === 'reset' ? await deps.users.findById(pending.userId) : undefined;
  if (pendingUser) assertStrongPassword(input.password, pendingUser.email);
  const token = await consumeEmailToken({ token: input.token, purpose: 'reset', now }, deps.emailTokens);
  const user = await deps.users.findById(token.userId);
  if (!user) throw new AppError('AUTH_EMAIL_TOKEN_INVALID', 'This link is not valid any more.');
  assertStrongPassword(input.password, user.email);
  await deps.users.setPasswordHash(user.id, await hashPassword(input.password));
  await deps.emailTokens.revokeAll(user.id, 'reset', now);
  if (user.email === token.email) await deps.emailTokens.markVerified(user.id, user.email, now);
  const endedSessions = await deps.sessions.deleteAllForUser(user.id);
  await deps.audit.record({
    actorId: user.id,
    action: 'auth.password_reset',
    ip: input.ip,
    detail: { endedSessions },
  });
  return { endedSessions };
}
