import crypto from 'node:crypto';
import * as client from 'openid-client';
import { Email } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
import type { AuditLog, UserRecord, UserStore } from '../ports.js';
import type { EmailTokenStore } from './email-tokens.js';
import type { OidcProviderConfig, OidcProviders } from './oidc-client.js';
import { type IdentityStore, NO_PASSWORD } from './oidc-identities.js';
import { hashToken } from './sessions.js';

/** How long a sign-in at the provider may take before its state is forgotten. */
export const OIDC_FLOW_MS = 10 * 60_000;

/** What single sign-on needs. */
export interface OidcDeps {
  providers: OidcProviders;
  identities: IdentityStore;
  users: UserStore;
  emailTokens: EmailTokenStore;
  audit: AuditLog;
  now: () => Date;
  /** The origin of redirect URIs: <publicUrl>/api/v1/auth/oidc/<id>/callback. */
  publicUrl: string;
  signup: 'open' | 'closed';
  /**
   * OIDC_LINK_VERIFIED_EMAIL: link a first sign-in to the account with the same e-mail when the
   * provider says the address is verified and the Pulse account's address is verified too.
   */
  linkVerifiedEmail: boolean;
}

/** The redirect URI to register at the provider. */
export function redirectUri(publicUrl: string, providerId: string): string {
  return new URL(`/api/v1/auth/oidc/${encodeURIComponent(providerId)}/callback`, publicUrl).toString();
}

function provider(deps: OidcDeps, id: string): OidcProviderConfig {
  const found = deps.providers.get(id);
  if (!found) throw new AppError('AUTH_OIDC_DISABLED', `No single sign-on provider "${id}" is configured.`);
  return found;
}

function failed(message: string): AppError {
  return new AppError('AUTH_OIDC_FAILED', message);
}

/**
 * Starts a sign-in (or, with a user, a link) at a provider: state, nonce and PKCE verifier are kept
 * in a row found by the hash of `flowId`, which goes to the browser in an HttpOnly cookie. The
 * callback must come back in the same browser with the same state.
 */
export async function startOidc(
  input: { providerId: string; mode: 'sign_in' | 'link'; userId: string | null; remember: boolean },
  deps: OidcDeps,
): Promise<{ flowId: string; url: string }> {
  const p = provider(deps, input.providerId);
  const flowId = crypto.randomBytes(32).toString('base64url');
  const flow = {
    idHash: hashToken(flowId),
    provider: p.id,
    mode: input.mode,
    userId: input.userId,
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    remember: input.remember,
    expiresAt: new Date(deps.now().getTime() + OIDC_FLOW_MS),
  };
  let url: URL;
  try {
    url = await deps.providers.authorizationUrl(p, {
      redirectUri: redirectUri(deps.publicUrl, p.id),
      ...flow,
    });
  } catch {
    throw new AppError('AUTH_OIDC_UNAVAILABLE', `${p.name} cannot be reached; try again later.`);
  }
  await deps.identities.createFlow(flow);
  return { flowId, url: url.toString() };
}

/** How a callback ended. */
export type OidcOutcome =
  | { kind: 'signed_in'; user: UserRecord; remember: boolean; created: boolean }
  | { kind: 'linked'; userId: string };

/**
 * Completes a flow from the provider's redirect: the cookie's flow (once), the state, the nonce and
 * the PKCE verifier must all match. Then: a linked identity signs its user in; in link mode the
 * identity is linked to the signed-in user; otherwise an existing account with the same e-mail is
 * linked only under OIDC_LINK_VERIFIED_EMAIL, and a new account is created only under SIGNUP=open.
 */
export async function finishOidc(
  input: { providerId: string; flowId: string | undefined; callbackUrl: URL; ip: string | null },
  deps: OidcDeps,
): Promise<OidcOutcome> {
  const p = provider(deps, input.providerId);
  const now = deps.now();
  const flow = input.flowId ? await deps.identities.takeFlow(hashToken(input.flowId), now) : undefined;
  if (!flow || flow.provider !== p.id)
    throw failed('The sign-in expired or was started in another browser; start again.');
  if (input.callbackUrl.searchParams.has('error'))
    throw failed(`${p.name} did not sign you in (${input.callbackUrl.searchParams.get('error')}).`);
  let claims;
  try {
    claims = await deps.providers.exchange(p, input.callbackUrl, flow);
  } catch (error) {
    await deps.audit.record({
      actorId: flow.userId,
      action: 'auth.oidc_failed',
      ip: input.ip,
      detail: { provider: p.id, reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' },
    });
    throw failed(`The answer from ${p.name} could not be verified; start again.`);
  }
  const linked = await deps.identities.find(p.id, claims.subject);
  const email = claims.email === undefined ? undefined : Email.safeParse(claims.email).data;

  if (flow.mode === 'link') {
    if (!flow.userId) throw failed('The link request lost its user; start again.');
    if (linked && linked.userId !== flow.userId)
      throw new AppError('AUTH_IDENTITY_TAKEN', `This ${p.name} account is linked to another Pulse user.`);
    if (!linked) await link(flow.userId, p.id, claims.subject, email ?? null, input.ip, deps, 'link');
    return { kind: 'linked', userId: flow.userId };
  }

  if (linked) {
    const user = await deps.users.findById(linked.userId);
    if (!user) throw failed('The linked account no longer exists.');
    await deps.identities.touch(linked.id, now);
    return { kind: 'signed_in', user, remember: flow.remember, created: false };
  }
  if (!email) throw failed(`${p.name} did not share an e-mail address, so no account can be found or made.`);
  const existing = await deps.users.findByEmail(email);
  if (existing) {
    const mayLink =
      deps.linkVerifiedEmail && claims.emailVerified && (await deps.emailTokens.isVerified(existing.id));
    if (!mayLink)
      throw new AppError(
        'AUTH_OIDC_NOT_LINKED',
        `A Pulse account with this e-mail exists: sign in with your password, then link ${p.name} in Settings.`,
      );
    await link(existing.id, p.id, claims.subject, email, input.ip, deps, 'verified_email');
    return { kind: 'signed_in', user: existing, remember: flow.remember, created: false };
  }
  if (deps.signup !== 'open')
    throw new AppError(
      'AUTH_SIGNUP_CLOSED',
      'No Pulse account is linked to this sign-in, and sign-up is closed.',
    );
  const user = { id: crypto.randomUUID(), email, passwordHash: NO_PASSWORD, role: 'trader' as const };
  if ((await deps.users.insert(user)) !== 'inserted')
    throw new AppError('AUTH_EMAIL_TAKEN', 'A user with this e-mail exists already.');
  if (claims.emailVerified) await deps.emailTokens.markVerified(user.id, email, now);
  await deps.audit.record({
    actorId: user.id,
    action: 'user.signed_up',
    ip: input.ip,
    detail: { userId: user.id, email, role: user.role, via: p.id },
  });
  await link(user.id, p.id, claims.subject, email, input.ip, deps, 'sign_up');
  const created = await deps.users.findById(user.id);
  if (!created) throw failed('The new account could not be read back.');
  return { kind: 'signed_in', user: created, remember: flow.remember, created: true };
}

async function link(
  userId: string,
  providerId: string,
  subject: string,
  email: string | null,
  ip: string | null,
  deps: OidcDeps,
  via: 'link' | 'verified_email' | 'sign_up',
): Promise<void> {
  const now = deps.now();
  const result = await deps.identities.insert({
    id: crypto.randomUUID(),
    userId,
    provider: providerId,
    subject,
    email,
    createdAt: now,
    lastUsedAt: now,
  });
  if (result === 'taken')
    throw new AppError('AUTH_IDENTITY_TAKEN', 'This provider account is linked to another Pulse user.');
  await deps.audit.record({
    actorId: userId,
    action: 'auth.identity_linked',
    ip,
    detail: { provider: providerId, subject, via },
  });
}
