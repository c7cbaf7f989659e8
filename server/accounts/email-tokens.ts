import crypto from 'node:crypto';
import { AppError } from '../errors.js';
import { hashToken } from './sessions.js';

/** What an e-mailed link is for. */
export type EmailTokenPurpose = 'verify' | 'reset';

/** A single-use token sent by e-mail; only its SHA-256 is stored. */
export interface EmailTokenRecord {
  tokenHash: string;
  userId: string;
  purpose: EmailTokenPurpose;
  /** The address it was sent to: verifying proves this address, not whatever the account has later. */
  email: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Why a token was refused, or the token that was just used up. */
export type ConsumeResult =
  { outcome: 'ok'; token: EmailTokenRecord } | { outcome: 'unknown' | 'used' | 'expired' };

/** E-mail tokens and the verified flag of users (migration 0050). */
export interface EmailTokenStore {
  insert(token: EmailTokenRecord): Promise<void>;
  find(tokenHash: string): Promise<EmailTokenRecord | undefined>;
  /** Marks an unused, unexpired token of this purpose used (atomically: a token works once, even under races). */
  consume(tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<ConsumeResult>;
  /** How many tokens of a purpose the user was sent since `since`, and when the last one was. */
  recent(
    userId: string,
    purpose: EmailTokenPurpose,
    since: Date,
  ): Promise<{ count: number; last: Date | undefined }>;
  /** Marks every unused token of a purpose used (a reset ends older reset links). */
  revokeAll(userId: string, purpose: EmailTokenPurpose, now: Date): Promise<void>;
  /** Marks the user's address verified, if it is still `email`; false otherwise. */
  markVerified(userId: string, email: string, now: Date): Promise<boolean>;
  isVerified(userId: string): Promise<boolean>;
}

/** How long links stay valid. */
export const EMAIL_TOKEN_TTL_MS: Readonly<Record<EmailTokenPurpose, number>> = {
  verify: 48 * 3_600_000,
  reset: 30 * 60_000,
};

/** Issues a token: the raw value (for the link) is returned once, its hash stored. */
export async function issueEmailToken(
  input: { userId: string; email: string; purpose: EmailTokenPurpose; now: Date },
  store: EmailTokenStore,
): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await store.insert({
    tokenHash: hashToken(token),
    userId: input.userId,
    purpose: input.purpose,
    email: input.email,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + EMAIL_TOKEN_TTL_MS[input.purpose]),
    usedAt: null,
  });
  return token;
}

/** Uses up a token, or throws AUTH_EMAIL_TOKEN_INVALID / _USED / _EXPIRED. */
export async function consumeEmailToken(
  input: { token: string; purpose: EmailTokenPurpose; now: Date },
  store: EmailTokenStore,
): Promise<EmailTokenRecord> {
  const result = await store.consume(hashToken(input.token), input.purpose, input.now);
  if (result.outcome === 'ok') return result.token;
  if (result.outcome === 'used')
    throw new AppError('AUTH_EMAIL_TOKEN_USED', 'This link has been used already; ask for a new one.');
  if (result.outcome === 'expired')
    throw new AppError('AUTH_EMAIL_TOKEN_EXPIRED', 'This link has expired; ask for a new one.');
  throw new AppError('AUTH_EMAIL_TOKEN_INVALID', 'This link is not valid; copy it again from the e-mail.');
}
