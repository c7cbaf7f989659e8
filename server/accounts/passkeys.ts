import crypto from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { AppError } from '../errors.js';
import type { AuditLog, MfaStore, UserRecord, UserStore } from '../ports.js';
import { hasTotp, issueRecoveryCodes } from './mfa.js';
import { verifyPassword } from './passwords.js';
import { hashToken } from './sessions.js';
import type { SecretVault } from './user-secrets.js';

/** A stored passkey: the credential's public key (the private key never leaves the authenticator). */
export interface PasskeyRecord {
  /** The credential id, base64url. */
  id: string;
  userId: string;
  name: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  /** `singleDevice` or `multiDevice` (synced, e.g. iCloud Keychain or Google Password Manager). */
  deviceType: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** What a challenge in progress is for. */
export type PasskeyPurpose = 'register' | 'sign_in' | 'mfa';

/** Passkeys and the challenges of ceremonies in progress (migration 0090). */
export interface PasskeyStore {
  list(userId: string): Promise<PasskeyRecord[]>;
  find(id: string): Promise<PasskeyRecord | undefined>;
  /** False when the credential is registered already (to anyone). */
  insert(passkey: PasskeyRecord): Promise<boolean>;
  /** Records a use: the authenticator's new signature counter. */
  touch(id: string, counter: number, at: Date): Promise<void>;
  rename(userId: string, id: string, name: string): Promise<boolean>;
  delete(userId: string, id: string): Promise<boolean>;
  deleteAll(userId: string): Promise<void>;
  saveChallenge(flow: {
    idHash: string;
    purpose: PasskeyPurpose;
    userId: string | null;
    challenge: string;
    remember: boolean;
    expiresAt: Date;
  }): Promise<void>;
  /** Returns and deletes a live challenge (single use); undefined when unknown, expired or for another purpose. */
  takeChallenge(
    idHash: string,
    purpose: PasskeyPurpose,
    now: Date,
  ): Promise<{ userId: string | null; challenge: string; remember: boolean } | undefined>;
}

/** The relying party: who the passkeys are for. Browsers refuse IP addresses as an RP id; use a host name. */
export interface RelyingParty {
  /** The host name, e.g. `pulse.example.com` or `localhost`. */
  id: string;
  /** The exact origin pages are served from, e.g. `https://pulse.example.com`. */
  origin: string;
  name: string;
}

/** What passkey ceremonies need. */
export interface PasskeyDeps {
  passkeys: PasskeyStore;
  users: UserStore;
  mfa: MfaStore;
  vault: SecretVault;
  audit: AuditLog;
  now: () => Date;
}

const CEREMONY_MS = 5 * 60_000;
const MAX_PASSKEYS = 20;

const invalid = () =>
  new AppError(
    'AUTH_PASSKEY_INVALID',
    'The passkey could not be verified, or the request took too long; try again.',
  );

/** True for an IPv4 or IPv6 literal host name: browsers refuse those as WebAuthn RP ids. */
export function isIpHost(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
}

/**
 * The relying party: PUBLIC_URL when it names a host, otherwise the origin the request came to (a PUBLIC_URL of
 * an IP address cannot carry passkeys, so the request's own host name is the only one that can). Refuses IPs.
 */
export function relyingParty(configured: string | undefined, requestOrigin: string): RelyingParty {
  const url =
    configured !== undefined && !isIpHost(new URL(configured).hostname)
      ? new URL(configured)
      : new URL(requestOrigin);
  const host = url.hostname;
  if (isIpHost(host))
    throw new AppError(
      'AUTH_PASSKEY_UNAVAILABLE',
      'Passkeys need a host name, not an IP address: open Pulse at http://localhost or its domain.',
    );
  return { id: host, origin: url.origin, name: 'Pulse' };
}

async function saveFlow(
  deps: PasskeyDeps,
  purpose: PasskeyPurpose,
  challenge: string,
  userId: string | null,
  remember = false,
  flowId = crypto.randomBytes(24).toString('base64url'),
): Promise<string> {
  await deps.passkeys.saveChallenge({
    idHash: hashToken(`${purpose}:${flowId}`),
    purpose,
    userId,
    challenge,
    remember,
    expiresAt: new Date(deps.now().getTime() + CEREMONY_MS),
  });
  return flowId;
}

/** Options for adding a passkey to a signed-in account (the account's existing passkeys are excluded). */
export async function passkeyRegistrationOptions(
  user: UserRecord,
  rp: RelyingParty,
  deps: PasskeyDeps,
): Promise<{ flowId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const existing = await deps.passkeys.list(user.id);
  if (existing.length >= MAX_PASSKEYS)
    throw new AppError('AUTH_PASSKEY_LIMIT', `An account can hold at most ${MAX_PASSKEYS} passkeys.`);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
    // Discoverable, so it also signs in without a password; user verification (PIN, biometrics) when possible.
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    timeout: CEREMONY_MS,
  });
  return { flowId: await saveFlow(deps, 'register', options.challenge, user.id), options };
}

/**
 * Verifies a new passkey and stores it. A first second factor turns two-factor sign-in on and returns ten
 * recovery codes (shown once), as TOTP enrolment does.
 */
export async function registerPasskey(
  input: {
    user: UserRecord;
    flowId: string;
    name: string;
    response: RegistrationResponseJSON;
    ip: string | null;
  },
  rp: RelyingParty,
  deps: PasskeyDeps,
): Promise<{ passkey: PasskeyRecord; recoveryCodes: string[] | null }> {
  const now = deps.now();
  const flow = await deps.passkeys.takeChallenge(hashToken(`register:${input.flowId}`), 'register', now);
  if (!flow || flow.userId !== input.user.id) throw invalid();
  const result = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: flow.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: false,
  }).catch(() => ({ verified: false as const }));
  if (!result.verified) throw invalid();
  const info = result.registrationInfo;
  const passkey: PasskeyRecord = {
    id: info.credential.id,
    userId: input.user.id,
    name: input.name,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: info.credential.transports ?? input.response.response.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    createdAt: now,
    lastUsedAt: null,
  };
  if (!(await deps.passkeys.insert(passkey)))
    throw new AppError('AUTH_PASSKEY_EXISTS', 'This passkey is registered already.');
  let recoveryCodes: string[] | null = null;
  if (!input.user.mfaEnabled) {
    recoveryCodes = await issueRecoveryCodes(input.user.id, deps);
    await deps.users.setMfaEnabled(input.user.id, true);
  }
  await deps.audit.record({
    actorId: input.user.id,
    action: 'mfa.passkey_added',
    ip: input.ip,
    detail: { passkey: passkey.name, deviceType: passkey.deviceType },
  });
  return { passkey, recoveryCodes };
}

/** Options for signing in with a passkey alone (a discoverable credential names its account). */
export async function passkeySignInOptions(
  rp: RelyingParty,
  deps: PasskeyDeps,
): Promise<{ flowId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'required',
    timeout: CEREMONY_MS,
  });
  return { flowId: await saveFlow(deps, 'sign_in', options.challenge, null, true), options };
}

/** Checks an assertion against the stored passkey it names and records the use; the passkey's owner. */
async function verifyAssertion(
  response: AuthenticationResponseJSON,
  challenge: string,
  requireUserVerification: boolean,
  rp: RelyingParty,
  deps: PasskeyDeps,
): Promise<PasskeyRecord> {
  const passkey = await deps.passkeys.find(response.id);
  if (!passkey) throw invalid();
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: {
      id: passkey.id,
      publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
      counter: passkey.counter,
      transports: passkey.transports,
    },
    requireUserVerification,
  }).catch(() => ({ verified: false, authenticationInfo: null }));
  if (!result.verified || !result.authenticationInfo) throw invalid();
  await deps.passkeys.touch(passkey.id, result.authenticationInfo.newCounter, deps.now());
  return passkey;
}

/**
 * Signs in with a passkey and nothing else. A passkey with user verification is two factors in itself (the
 * device, and the PIN or biometric that unlocks it), so no second step follows.
 */
export async function signInWithPasskey(
  input: { flowId: string; response: AuthenticationResponseJSON; ip: string | null },
  rp: RelyingParty,
  deps: PasskeyDeps,
): Promise<{ user: UserRecord; remember: boolean }> {
  const flow = await deps.passkeys.takeChallenge(hashToken(`sign_in:${input.flowId}`), 'sign_in', deps.now());
  if (!flow) throw invalid();
  const passkey = await verifyAssertion(input.response, flow.challenge, true, rp, deps);
  const user = await deps.users.findById(passkey.userId);
  if (!user) throw invalid();
  await deps.audit.record({
    actorId: user.id,
    action: 'auth.signed_in',
    ip: input.ip,
    detail: { method: 'passkey', passkey: passkey.name },
  });
  return { user, remember: flow.remember };
}

/** Options for answering a sign-in's second step (after the password) with one of the account's passkeys. */
export async function mfaPasskeyOptions(
  input: { challengeId: string },
  rp: RelyingParty,
  deps: PasskeyDeps,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }> {
  const challenge = await deps.mfa.attemptChallenge(hashToken(input.challengeId), deps.now(), 5);
  if (!challenge) throw invalid();
  const passkeys = await deps.passkeys.list(challenge.userId);
  if (passkeys.length === 0)
    throw new AppError('AUTH_PASSKEY_NOT_FOUND', 'This account has no passkey; use your authenticator code.');
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map((p) => ({ id: p.id, transports: p.transports })),
    userVerification: 'preferred',
    timeout: CEREMONY_MS,
  });
  await saveFlow(deps, 'mfa', options.challenge, challenge.userId, challenge.remember, input.challengeId);
  return { options };
}

/** Completes the second step with a passkey of the account whose password was given. */
export async function verifyMfaPasskey(
  input: { challengeId: string; response: AuthenticationResponseJSON; ip: string | null },
  rp: RelyingParty,
  deps: PasskeyDeps,
): Promise<{ user: UserRecord; remember: boolean }> {
  const flow = await deps.passkeys.takeChallenge(hashToken(`mfa:${input.challengeId}`), 'mfa', deps.now());
  if (!flow?.userId) throw invalid();
  const passkey = await verifyAssertion(input.response, flow.challenge, false, rp, deps).catch(
    async (error) => {
      await deps.audit.record({ actorId: flow.userId, action: 'auth.mfa_failed', ip: input.ip });
      throw error;
    },
  );
  // Another account's passkey does not answer this account's challenge.
  if (passkey.userId !== flow.userId) throw invalid();
  const user = await deps.users.findById(passkey.userId);
  if (!user) throw invalid();
  await deps.mfa.deleteChallenge(hashToken(input.challengeId));
  await deps.audit.record({
    actorId: user.id,
    action: 'auth.signed_in',
    ip: input.ip,
    detail: { mfa: 'passkey' },
  });
  return { user, remember: flow.remember };
}

/** The second-step methods an account can answer with. */
export async function mfaMethods(
  userId: string,
  deps: Pick<PasskeyDeps, 'passkeys' | 'vault'>,
): Promise<('totp' | 'passkey')[]> {
  const methods: ('totp' | 'passkey')[] = [];
  if (await hasTotp(userId, deps)) methods.push('totp');
  if ((await deps.passkeys.list(userId)).length > 0) methods.push('passkey');
  return methods;
}

/**
 * Removes a passkey (password required). Removing the last second factor (no other passkey, no TOTP) turns
 * two-factor sign-in off and voids the recovery codes.
 */
export async function removePasskey(
  input: { user: UserRecord; id: string; password: string; ip: string | null },
  deps: PasskeyDeps,
): Promise<void> {
  if (!(await verifyPassword(input.user.passwordHash, input.password)))
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'The password is incorrect.');
  if (!(await deps.passkeys.delete(input.user.id, input.id)))
    throw new AppError('AUTH_PASSKEY_NOT_FOUND', 'No such passkey.');
  const left = await deps.passkeys.list(input.user.id);
  if (left.length === 0 && !(await hasTotp(input.user.id, deps))) {
    await deps.mfa.replaceRecoveryCodes(input.user.id, []);
    await deps.users.setMfaEnabled(input.user.id, false);
  }
  await deps.audit.record({ actorId: input.user.id, action: 'mfa.passkey_removed', ip: input.ip });
}
