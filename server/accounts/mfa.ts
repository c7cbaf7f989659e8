import crypto from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { AppError } from '../errors.js';
import type { AuditLog, MfaStore, UserRecord, UserStore } from '../ports.js';
import { hashToken } from './sessions.js';
import { verifyPassword } from './passwords.js';
import type { PasskeyStore } from './passkeys.js';
import type { SecretVault } from './user-secrets.js';

const TOTP = 'totp';
const TOTP_PENDING = 'totp_pending';
/** How many recovery codes a user gets; each works once. */
export const RECOVERY_CODE_COUNT = 10;
const CHALLENGE_MS = 5 * 60_000;
const CHALLENGE_ATTEMPTS = 5;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** What MFA needs. */
export interface MfaDeps {
  users: UserStore;
  mfa: MfaStore;
  vault: SecretVault;
  audit: AuditLog;
  now: () => Date;
  /** Passkeys, deleted with the other factors when two-factor sign-in is turned off. */
  passkeys?: Pick<PasskeyStore, 'deleteAll'>;
}

/** Whether the account has a confirmed TOTP authenticator. */
export async function hasTotp(userId: string, deps: Pick<MfaDeps, 'vault'>): Promise<boolean> {
  return (await deps.vault.get(userId, TOTP)) !== undefined;
}

/** Replaces the account's recovery codes with ten new single-use ones; returns them (shown once, stored hashed). */
export async function issueRecoveryCodes(userId: string, deps: Pick<MfaDeps, 'mfa'>): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);
  await deps.mfa.replaceRecoveryCodes(
    userId,
    codes.map((c) => hashRecoveryCode(userId, c)),
  );
  return codes;
}

function recoveryCode(): string {
  // 16 base32 characters: 80 random bits, so a fast hash is enough to store them.
  const bytes = crypto.randomBytes(16);
  const chars = [...bytes].map((b) => BASE32[b % 32] ?? 'a').join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

function hashRecoveryCode(userId: string, code: string): string {
  const normal = code.toLowerCase().replace(/[^a-z2-7]/g, '');
  return crypto.createHash('sha256').update(`${userId}:${normal}`).digest('hex');
}

/** Checks a TOTP code (±1 step of clock drift), refusing a code at or before `afterStep` (replays). */
async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  afterStep?: number,
): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: 30,
    ...(afterStep !== undefined && { afterTimeStep: afterStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** Starts TOTP enrolment: a new secret (kept encrypted, pending), its otpauth URI and a QR code. */
export async function startTotpEnrolment(
  user: UserRecord,
  deps: MfaDeps,
): Promise<{ otpauthUri: string; qrDataUrl: string; secret: string }> {
  if (await hasTotp(user.id, deps))
    throw new AppError('AUTH_MFA_ALREADY_ENABLED', 'Turn two-factor authentication off first.');
  const secret = generateSecret();
  await deps.vault.put(user.id, TOTP_PENDING, secret, {}, deps.now());
  const otpauthUri = generateURI({ issuer: 'Pulse', label: user.email, secret });
  return { otpauthUri, qrDataUrl: await QRCode.toDataURL(otpauthUri), secret };
}

/** Confirms enrolment with a first code: MFA goes on and ten single-use recovery codes are returned once. */
export async function confirmTotp(
  input: { user: UserRecord; code: string; ip: string | null },
  deps: MfaDeps,
): Promise<string[]> {
  const pending = await deps.vault.get(input.user.id, TOTP_PENDING);
  if (!pending) throw new AppError('AUTH_MFA_NOT_PENDING', 'Start TOTP enrolment first.');
  const step = await checkTotp(pending.plaintext, input.code, deps.now());
  if (step === undefined)
    throw new AppError('AUTH_MFA_INVALID', 'That code is not right; check the clock of your device.');
  await deps.vault.put(input.user.id, TOTP, pending.plaintext, { lastStep: String(step) }, deps.now());
  await deps.vault.delete(input.user.id, TOTP_PENDING);
  // With a passkey already enrolled, the existing recovery codes stay valid.
  const codes = input.user.mfaEnabled ? [] : await issueRecoveryCodes(input.user.id, deps);
  await deps.users.setMfaEnabled(input.user.id, true);
  await deps.audit.record({
    actorId: input.user.id,
    action: 'mfa.enabled',
    ip: input.ip,
    detail: { method: 'totp' },
  });
  return codes;
}

/** Turns MFA off (password required): the TOTP secret, passkeys and recovery codes are deleted. */
export async function disableMfa(
  input: { user: UserRecord; password: string; ip: string | null },
  deps: MfaDeps,
): Promise<void> {
  if (!(await verifyPassword(input.user.passwordHash, input.password)))
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'The password is incorrect.');
  await deps.vault.delete(input.user.id, TOTP);
  await deps.vault.delete(input.user.id, TOTP_PENDING);
  await deps.passkeys?.deleteAll(input.user.id);
  await deps.mfa.replaceRecoveryCodes(input.user.id, []);
  await deps.users.setMfaEnabled(input.user.id, false);
  await deps.audit.record({ actorId: input.user.id, action: 'mfa.disabled', ip: input.ip });
}

/** The first step of an MFA sign-in passed (the password): a challenge to answer with a code. */
export async function createMfaChallenge(
  input: { userId: string; remember: boolean },
  deps: Pick<MfaDeps, 'mfa' | 'now'>,
): Promise<string> {
  const challengeId = crypto.randomBytes(32).toString('base64url');
  await deps.mfa.createChallenge({
    idHash: hashToken(challengeId),
    userId: input.userId,
    remember: input.remember,
    expiresAt: new Date(deps.now().getTime() + CHALLENGE_MS),
  });
  return challengeId;
}

/** Answers a challenge with a TOTP code or a recovery code; at most five tries per challenge. */
export async function verifyMfaChallenge(
  input: { challengeId: string; code: string; ip: string | null },
  deps: MfaDeps,
): Promise<{ user: UserRecord; remember: boolean }> {
  const now = deps.now();
  const idHash = hashToken(input.challengeId);
  const challenge = await deps.mfa.attemptChallenge(idHash, now, CHALLENGE_ATTEMPTS);
  const invalid = new AppError(
    'AUTH_MFA_INVALID',
    'The code is wrong, or the sign-in took too long; start again.',
  );
  if (!challenge) throw invalid;
  const user = await deps.users.findById(challenge.userId);
  const totp = user && (await deps.vault.get(user.id, TOTP));
  if (!user || !totp) throw invalid;
  const lastStep = totp.meta.lastStep === undefined ? undefined : Number(totp.meta.lastStep);
  const step = await checkTotp(totp.plaintext, input.code, now, lastStep);
  let via = 'totp';
  if (step !== undefined) {
    await deps.vault.put(user.id, TOTP, totp.plaintext, { lastStep: String(step) }, now);
  } else if (await deps.mfa.useRecoveryCode(user.id, hashRecoveryCode(user.id, input.code), now)) {
    via = 'recovery_code';
  } else {
    await deps.audit.record({ actorId: user.id, action: 'auth.mfa_failed', ip: input.ip });
    throw invalid;
  }
  await deps.mfa.deleteChallenge(idHash);
  await deps.audit.record({ actorId: user.id, action: 'auth.signed_in', ip: input.ip, detail: { mfa: via } });
  return { user, remember: challenge.remember };
}
