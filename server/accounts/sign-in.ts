import type { LoginBody } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
import type { AuditLog, Mailer, SignInThrottleStore, UserRecord, UserStore } from '../ports.js';
import { deliver } from './email-messages.js';
import { verifyPassword } from './passwords.js';
import { ACCOUNT_RULE, IP_RULE, recordFailure, throttleKeys, waitFor } from './sign-in-throttle.js';

/** What signing in needs. */
export interface SignInDeps {
  users: UserStore;
  audit: AuditLog;
  throttle: SignInThrottleStore;
  mailer: Mailer;
  now: () => Date;
  /** Reports a lockout e-mail that could not be sent (it never fails the request). */
  onMailError?: (error: unknown) => void;
}

function throttled(waitMs: number): AppError {
  const seconds = Math.ceil(waitMs / 1000);
  return new AppError('AUTH_THROTTLED', `Too many failed sign-ins; try again in ${seconds} s.`, {
    retryAfterSeconds: seconds,
  });
}

/**
 * Checks e-mail and password, throttled per account and per address with growing waits, and a
 * lockout that e-mails the account's owner. The same error, the same throttling and (with the
 * decoy hash) the same time whether the e-mail exists or not.
 */
export async function signIn(
  input: Pick<LoginBody, 'email' | 'password'> & { ip: string | null },
  deps: SignInDeps,
): Promise<UserRecord> {
  const now = deps.now();
  const keys = throttleKeys(input.email, input.ip);
  const wait = Math.max(
    await waitFor(deps.throttle, keys.account, now),
    keys.ip ? await waitFor(deps.throttle, keys.ip, now) : 0,
  );
  if (wait > 0) {
    await deps.audit.record({
      actorId: null,
      action: 'auth.sign_in_throttled',
      ip: input.ip,
      detail: { email: input.email },
    });
    throw throttled(wait);
  }
  const user = await deps.users.findByEmail(input.email);
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) {
    const account = await recordFailure(deps.throttle, keys.account, ACCOUNT_RULE, now);
    if (keys.ip) await recordFailure(deps.throttle, keys.ip, IP_RULE, now);
    await deps.audit.record({
      actorId: user?.id ?? null,
      action: 'auth.sign_in_failed',
      ip: input.ip,
      detail: { email: input.email, failures: account.failures },
    });
    if (account.lockedOut) {
      await deps.audit.record({
        actorId: user?.id ?? null,
        action: 'auth.locked_out',
        ip: input.ip,
        detail: { email: input.email },
      });
      // Not awaited: a slow mail server must not make a lockout of a real account observable.
      if (user) void notifyLockout(user, input.ip, account.lockedUntil, deps);
    }
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'E-mail or password is incorrect.');
  }
  await deps.throttle.clear(keys.account);
  return user;
}

async function notifyLockout(
  user: UserRecord,
  ip: string | null,
  until: Date | null,
  deps: SignInDeps,
): Promise<void> {
  await deliver(deps, {
    to: user.email,
    subject: 'Pulse: sign-in locked after repeated failed attempts',
    text: [
      `There were ${ACCOUNT_RULE.lockoutAt} failed attempts to sign in to your Pulse account (${user.email}),`,
      `the last from ${ip ?? 'an unknown address'}. Sign-in is locked until ${until?.toISOString() ?? 'later'}.`,
      '',
      'If this was not you, someone may be guessing your password: choose a new one and turn on',
      'two-factor authentication. Your sessions and API tokens are not affected.',
    ].join('\n'),
  });
}
