import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdentityListJson, OidcProvidersJson, OidcRedirectJson } from '../../../contracts/account-links.js';
import type { AccountLinksDeps, AccountsDeps } from '../../accounts/accounts-deps.js';
import { createMfaChallenge } from '../../accounts/mfa.js';
import { hasPassword, unlinkIdentity } from '../../accounts/oidc-identities.js';
import {
  finishOidc,
  OIDC_FLOW_MS,
  type OidcDeps,
  redirectUri,
  startOidc,
} from '../../accounts/oidc-sign-in.js';
import { AppError } from '../../errors.js';
import { beginSession } from './auth.routes.js';
import { requireSession } from './session.plugin.js';

/** The cookie carrying the id of an OIDC flow in progress, from start to callback only. */
export const OIDC_COOKIE = 'pulse_oidc';
const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';

const ProviderParams = z.object({ provider: z.string().regex(/^[a-z0-9-]{1,32}$/) });

function setFlowCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  flowId: string,
  deps: AccountsDeps,
): void {
  reply.setCookie(OIDC_COOKIE, flowId, {
    httpOnly: true,
    // Lax: the provider's redirect back is a top-level GET navigation, which Lax cookies follow.
    sameSite: 'lax',
    path: OIDC_COOKIE_PATH,
    secure: deps.cookieSecure === 'auto' ? request.protocol === 'https' : deps.cookieSecure === 'true',
    maxAge: Math.floor(OIDC_FLOW_MS / 1000),
  });
}

/** Single sign-on with OIDC providers (code + PKCE) and the caller's linked identities. */
export const oidcRoutes: FastifyPluginAsyncZod<AccountsDeps & { links: AccountLinksDeps }> = async (
  app,
  deps,
) => {
  const tags = ['auth'];
  const links = deps.links;
  const oidc: OidcDeps = {
    providers: links.providers,
    identities: links.identities,
    users: deps.users,
    emailTokens: links.emailTokens,
    audit: deps.audit,
    now: deps.now,
    publicUrl: links.publicUrl,
    signup: deps.signup,
    linkVerifiedEmail: links.linkVerifiedEmail,
  };

  app.get(
    '/api/v1/auth/providers',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The single sign-on providers, for the sign-in page',
        response: { 200: OidcProvidersJson },
      },
    },
    async () => ({ providers: links.providers.list() }),
  );

  app.get(
    '/api/v1/auth/oidc/:provider/start',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Start signing in with a provider: redirects to it',
        params: ProviderParams,
        querystring: z.object({ remember: z.enum(['0', '1']).optional() }),
      },
    },
    async (request, reply) => {
      const { flowId, url } = await startOidc(
        {
          providerId: request.params.provider,
          mode: 'sign_in',
          userId: null,
          remember: request.query.remember !== '0',
        },
        oidc,
      );
      setFlowCookie(request, reply, flowId, deps);
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/api/v1/auth/oidc/:provider/callback',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "The provider's redirect back: signs in (or links), then redirects into the web app",
        params: ProviderParams,
        querystring: z.record(z.string(), z.string().max(4096)),
      },
    },
    async (request, reply) => {
      const flowId = request.cookies[OIDC_COOKIE];
      reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
      // The URL the provider was given, with the query it sent back (never built from the Host header).
      const callbackUrl = new URL(redirectUri(links.publicUrl, request.params.provider));
      for (const [k, v] of Object.entries(request.query)) callbackUrl.searchParams.set(k, v);
      try {
        const outcome = await finishOidc(
          { providerId: request.params.provider, flowId, callbackUrl, ip: request.ip },
          oidc,
        );
        if (outcome.kind === 'linked')
          return reply.redirect(`/settings#linked=${request.params.provider}`, 302);
        const { user, remember } = outcome;
        if (user.mfaEnabled) {
          // The provider stands in for the password only: the second factor is still asked for.
          const challengeId = await createMfaChallenge({ userId: user.id, remember }, deps);
          return reply.redirect(`/#mfa=${encodeURIComponent(challengeId)}`, 302);
        }
        await deps.audit.record({
          actorId: user.id,
          action: 'auth.signed_in',
          ip: request.ip,
          detail: { via: request.params.provider },
        });
        await beginSession(request, reply, user, remember, deps);
        return reply.redirect('/', 302);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        request.log.warn({ code: error.code }, 'single sign-on refused');
        return reply.redirect(`/#sso_error=${error.code}`, 302);
      }
    },
  );

  app.post(
    '/api/v1/auth/identities/:provider/link',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Start linking a provider account to yours: answers the URL to send the browser to',
        params: ProviderParams,
        response: { 200: OidcRedirectJson },
      },
    },
    async (request, reply) => {
      const { user } = await requireSession(request);
      const { flowId, url } = await startOidc(
        { providerId: request.params.provider, mode: 'link', userId: user.id, remember: true },
        oidc,
      );
      setFlowCookie(request, reply, flowId, deps);
      return { url };
    },
  );

  app.get(
    '/api/v1/auth/identities',
    {
      config: { access: 'self' },
      schema: { tags, summary: 'Your linked provider accounts', response: { 200: IdentityListJson } },
    },
    async (request) => {
      const { user } = await requireSession(request);
      const identities = await links.identities.listForUser(user.id);
      return {
        identities: identities.map((i) => ({
          id: i.id,
          provider: i.provider,
          providerName: links.providers.get(i.provider)?.name ?? i.provider,
          email: i.email,
          createdAt: i.createdAt.toISOString(),
          lastUsedAt: i.lastUsedAt?.toISOString() ?? null,
        })),
        hasPassword: hasPassword(user),
      };
    },
  );

  app.delete(
    '/api/v1/auth/identities/:id',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Unlink a provider account (refused when it is your last way to sign in)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { user } = await requireSession(request);
      await unlinkIdentity(
        { userId: user.id, id: request.params.id, ip: request.ip },
        { ...oidc, passkeys: deps.passkeys },
      );
      return reply.code(204).send(null);
    },
  );
};
