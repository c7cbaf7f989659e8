import { AppError } from '../errors.js';
import type { AuditLog, UserRecord } from '../ports.js';
import { appLink, deliver, type EmailFlowDeps, verificationMessage } from './email-messages.js';
import { consumeEmailToken, type EmailTokenStore, issueEmailToken } from './email-tokens.js';

/** What verification needs. */
export interface EmailVerificationDeps extends EmailFlowDeps {
  emailTokens: EmailTokenStore;
  audit: AuditLog;
  now: () => Date;
}

/** Resending: at most one message a minute and five a day per user. */
export const RESEND_GAP_MS = 60_000;
export const RESEND_PER_DAY = 5;

/**
 * Sends a verification link to the user's address. Returns once the token is stored; the message
 * itself is sent in the background (a slow mail server never slows sign-up).
 */
export async function sendVerification(
  user: Pick<UserRecord, 'id' | 'email'>,
  deps: EmailVerificationDeps,
): Promise<void> {
  if (!deps.mailEnabled) return;
  const token = await issueEmailToken(
    { userId: user.id, email: user.email, purpose: 'verify', now: deps.now() },
    deps.emailTokens,
  );
  void deliver(deps, verificationMessage(user.email, appLink(deps.publicUrl, '/verify-email', token)));
}

/** Sends a new link on request, rate limited (AUTH_EMAIL_RESEND_LIMITED with retryAfterSeconds). */
export async function resendVerification(
  input: { user: UserRecord; ip: string | null },
  deps: EmailVerificationDeps,
): Promise<'sent' | 'already_verified'> {
  if (await deps.emailTokens.isVerified(input.user.id)) return 'already_verified';
  if (!deps.mailEnabled)
    throw new AppError('AUTH_EMAIL_DISABLED', 'No mail server is configured (SMTP_URL); ask an admin.');
  const now = deps.now();
  const { count, last } = await deps.emailTokens.recent(
    input.user.id,
    'verify',
    new Date(now.getTime() - 24 * 3_600_000),
  );
  const gapWait = last ? last.getTime() + RESEND_GAP_MS - now.getTime() : 0;
  if (count >= RESEND_PER_DAY || gapWait > 0) {
    const seconds = count >= RESEND_PER_DAY ? 3_600 : Math.ceil(gapWait / 1000);
    throw new AppError('AUTH_EMAIL_RESEND_LIMITED', `Wait ${seconds} s before asking for another e-mail.`, {
      retryAfterSeconds: seconds,
    });
  }
  await sendVerification(input.user, deps);
  await deps.audit.record({ actorId: input.user.id, action: 'auth.verification_resent', ip: input.ip });
  return 'sent';
}

/** Completes verification with the token from the link; the token works once. */
export async function verifyEmail(
  input: { token: string; ip: string | null },
  deps: EmailVerificationDeps,
): Promise<{ userId: string; email: string }> {
  const now = deps.now();
  const token = await consumeEmailToken({ token: input.token, purpose: 'verify', now }, deps.emailTokens);
  // The address changed since the link was sent: the link proves nothing about the new one.
  if (!(await deps.emailTokens.markVerified(token.userId, token.email, now)))
    throw new AppError(
      'AUTH_EMAIL_TOKEN_INVALID',
      'This link was sent to an address the account no longer has.',
    );
  await deps.audit.record({
    actorId: token.userId,
    action: 'auth.email_verified',
    ip: input.ip,
    detail: { email: token.email },
  });
  return { userId: token.userId, email: token.email };
}
