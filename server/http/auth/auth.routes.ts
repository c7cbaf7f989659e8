import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangePasswordBody,
  CreateOwnerBody,
  LoginBody,
  Me,
  MfaRequired,
  SetupStatus,
  SignupBody,
} from '../../../contracts/auth.js';
import type { AccountsDeps } from '../../accounts/accounts-deps.js';
import { createOwner } from '../../accounts/create-owner.js';
import { createMfaChallenge } from '../../accounts/mfa.js';
import { mfaMethods } from '../../accounts/passkeys.js';
import { hashToken, startSession } from '../../accounts/sessions.js';
import { signIn } from '../../accounts/sign-in.js';
import { changePassword, createUser } from '../../accounts/users.js';
import { AppError } from '../../errors.js';
import { sendVerificationTo } from './email.routes.js';
import type { UserRecord } from '../../ports.js';
import {
  type Caller,
  clearSessionCookie,
  requireCaller,
  requireSession,
  SESSION_COOKIE,
  setSessionCookie,
} from './session.plugin.js';

/** The caller as /me shows them; the CSRF token is empty for API-token callers. */
export function presentMe(caller: Pick<Caller, 'user' | 'session'>): Me {
  const { user, session } = caller;
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    csrfToken: session?.csrfToken ?? '',
    mfaEnabled: user.mfaEnabled,
    emailVerified: user.emailVerified ?? false,
  };
}

/** Starts a session for a user who has passed every factor, sets the cookie, returns /me. */
export async function beginSession(
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserRecord,
  remember: boolean,
  deps: AccountsDeps,
): Promise<Me> {
  const { token, session } = await startSession(
    {
      userId: user.id,
      userAgent: request.headers['user-agent'] ?? null,
      ip: request.ip,
      now: deps.now(),
      remember,
    },
    deps,
  );
  setSessionCookie(request, reply, token, deps.cookieSecure, remember);
  return presentMe({ user, session });
}

/** First-run setup, sign-in (with MFA's first step), sign-up, sign-out, password change and /me. */
export const authRoutes: FastifyPluginAsyncZod<AccountsDeps> = async (app, deps) => {
  const tags = ['auth'];

  app.get(
    '/api/v1/setup',
    {
      schema: {
        tags,
        summary: 'Whether the owner account still has to be created, and whether sign-up is open',
        response: { 200: SetupStatus },
      },
    },
    async () => ({ needsOwner: !(await deps.users.hasOwner()), signupOpen: deps.signup === 'open' }),
  );

  app.post(
    '/api/v1/setup/owner',
    {
      schema: {
        tags,
        summary: 'Create the owner account (first run only)',
        body: CreateOwnerBody,
        response: { 201: Me },
      },
    },
    async (request, reply) => {
      const user = await createOwner({ ...request.body, ip: request.ip }, deps);
      await sendVerificationTo(user, deps);
      const me = await beginSession(
        request,
        reply,
        { ...user, createdAt: new Date(), mfaEnabled: false },
        true,
        deps,
      );
      return reply.code(201).send(me);
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with e-mail and password; with MFA on, answer the challenge at /auth/mfa/verify',
        body: LoginBody,
        response: { 200: z.union([Me, MfaRequired]) },
      },
    },
    async (request, reply) => {
      const remember = request.body.remember ?? true;
      let user: UserRecord;
      try {
        user = await signIn(
          { ...request.body, ip: request.ip },
          { ...deps, ...(deps.onMailError && { onMailError: deps.onMailError }) },
        );
      } catch (error) {
        const wait = error instanceof AppError ? error.details?.retryAfterSeconds : undefined;
        if (typeof wait === 'number') reply.header('retry-after', String(wait));
        throw error;
      }
      if (user.mfaEnabled) {
        const challengeId = await createMfaChallenge({ userId: user.id, remember }, deps);
        const methods = deps.passkeys
          ? await mfaMethods(user.id, { passkeys: deps.passkeys, vault: deps.vault })
          : (['totp'] as const);
        return { mfaRequired: true as const, challengeId, methods: [...methods] };
      }
      await deps.audit.record({ actorId: user.id, action: 'auth.signed_in', ip: request.ip });
      return beginSession(request, reply, user, remember, deps);
    },
  );

  app.post(
    '/api/v1/auth/signup',
    {
      schema: {
        tags,
        summary: 'Create your own trader account (only when SIGNUP=open)',
        body: SignupBody,
        response: { 201: Me },
      },
    },
    async (request, reply) => {
      if (deps.signup !== 'open')
        throw new AppError('AUTH_SIGNUP_CLOSED', 'Sign-up is closed; ask an admin for an account.');
      const user = await createUser(
        { ...request.body, role: 'trader', actor: { id: null, role: null, ip: request.ip } },
        deps,
      );
      await sendVerificationTo(user, deps);
      return reply.code(201).send(await beginSession(request, reply, user, true, deps));
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags, summary: 'Sign out of this session', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const caller = await request.caller();
      if (token) await deps.sessions.delete(hashToken(token));
      if (caller)
        await deps.audit.record({ actorId: caller.user.id, action: 'auth.signed_out', ip: request.ip });
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    { schema: { tags, summary: 'The signed-in user and the CSRF token', response: { 200: Me } } },
    async (request) => presentMe(await requireCaller(request)),
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Change your password (the current one is required); signs out your other sessions',
        body: ChangePasswordBody,
        response: { 200: z.object({ endedSessions: z.number() }) },
      },
    },
    async (request) => {
      const { user, session } = await requireSession(request);
      return changePassword(
        { user, ...request.body, keepTokenHash: session.tokenHash, ip: request.ip },
        deps,
      );
    },
  );
};
