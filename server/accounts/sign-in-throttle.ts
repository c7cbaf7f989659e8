import type { SignInThrottleStore, ThrottleRecord } from '../ports.js';

/** How failures turn into waits, per key kind. */
export interface ThrottleRule {
  /** Failures allowed before any wait. */
  free: number;
  /** The first wait; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** At this many failures the key is locked out for `lockoutMs` (and the owner told, for accounts). */
  lockoutAt: number;
  lockoutMs: number;
  /** Failures older than this (since the last one) are forgotten. */
  forgetAfterMs: number;
}

/** Per account: 5 free failures, then 1 s, 2 s, 4 s … up to 5 min; locked for 15 min at 10. */
export const ACCOUNT_RULE: ThrottleRule = {
  free: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  lockoutAt: 10,
  lockoutMs: 15 * 60_000,
  forgetAfterMs: 24 * 3_600_000,
};

/** Per address: more room (shared NATs), the same growth; locked for 15 min at 50. */
export const IP_RULE: ThrottleRule = {
  free: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  lockoutAt: 50,
  lockoutMs: 15 * 60_000,
  forgetAfterMs: 24 * 3_600_000,
};

/** The throttle keys of one attempt; the e-mail is keyed whether or not such a user exists. */
export function throttleKeys(email: string, ip: string | null): { account: string; ip: string | null } {
  return { account: `acct:${email}`, ip: ip === null ? null : `ip:${ip}` };
}

/** Milliseconds until `key` may try again (0: now). */
export async function waitFor(store: SignInThrottleStore, key: string, now: Date): Promise<number> {
  const record = await store.get(key);
  if (!record?.lockedUntil) return 0;
  return Math.max(0, record.lockedUntil.getTime() - now.getTime());
}

/** Counts a failure and returns the new record; `lockedOut` is true on the failure that reaches the lockout. */
export async function recordFailure(
  store: SignInThrottleStore,
  key: string,
  rule: ThrottleRule,
  now: Date,
): Promise<ThrottleRecord & { lockedOut: boolean }> {
  const previous = await store.get(key);
  const stale = previous && now.getTime() - previous.lastFailureAt.getTime() > rule.forgetAfterMs;
  const failures = (stale || !previous ? 0 : previous.failures) + 1;
  let lockedUntil: Date | null = null;
  // A failure is only counted while the key is not locked (signIn refuses before), so every failure
  // at or past the threshold starts a new lockout: each one is reported (and e-mailed) once.
  const lockedOut = failures >= rule.lockoutAt;
  if (failures >= rule.lockoutAt) lockedUntil = new Date(now.getTime() + rule.lockoutMs);
  else if (failures >= rule.free) {
    const delay = Math.min(rule.baseDelayMs * 2 ** (failures - rule.free), rule.maxDelayMs);
    lockedUntil = new Date(now.getTime() + delay);
  }
  const record = { failures, lastFailureAt: now, lockedUntil };
  await store.put(key, record);
  return { ...record, lockedOut };
}
