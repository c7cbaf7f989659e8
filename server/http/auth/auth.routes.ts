import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateOwnerBody, LoginBody, Me, SetupStatus } from '../../../contracts/auth.js';
import { createOwner } from '../../accounts/create-owner.js';
import { hashToken, startSession } from '../../accounts/sessions.js';
import { signIn } from '../../accounts/sign-in.js';
import type { AuditLog, SessionRecord, SessionStore, UserStore } from '../../ports.js';
import { clearSessionCookie, requireCaller, SESSION_COOKIE, setSessionCookie } from './session.plugin.js';

export interface AuthRoutesOptions {
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  now: () => Date;
  cookieSecure: 'auto' | 'true' | 'false';
}

function presentMe(user: { id: string; email: string; role: Me['role'] }, session: SessionRecord): Me {
  return { id: user.id, email: user.email, role: user.role, csrfToken: session.csrfToken };
}

/** First-run setup, sign-in, sign-out and the current user. */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, options) => {
  const deps = { users: options.users, sessions: options.sessions, audit: options.audit };

  app.get(
    '/api/v1/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether the owner account still has to be created',
        response: { 200: SetupStatus },
      },
    },
    async () => ({ needsOwner: !(await options.users.hasOwner()) }),
  );

  app.post(
    '/api/v1/setup/owner',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create the owner account (first run only)',
        body: CreateOwnerBody,
        response: { 201: Me },
      },
    },
    async (request, reply) => {
      const user = await createOwner({ ...request.body, ip: request.ip }, deps);
      const { token, session } = await startSession(
        {
          userId: user.id,
          userAgent: request.headers['user-agent'] ?? null,
          ip: request.ip,
          now: options.now(),
        },
        deps,
      );
      setSessionCookie(request, reply, token, options.cookieSecure);
      return reply.code(201).send(presentMe(user, session));
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        body: LoginBody,
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const user = await signIn({ ...request.body, ip: request.ip }, deps);
      const { token, session } = await startSession(
        {
          userId: user.id,
          userAgent: request.headers['user-agent'] ?? null,
          ip: request.ip,
          now: options.now(),
        },
        deps,
      );
      setSessionCookie(request, reply, token, options.cookieSecure);
      return presentMe(user, session);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out of this session', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const caller = await request.caller();
      if (token) await options.sessions.delete(hashToken(token));
      if (caller)
        await options.audit.record({ actorId: caller.user.id, action: 'auth.signed_out', ip: request.ip });
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token', response: { 200: Me } } },
    async (request) => {
      const { user, session } = await requireCaller(request);
      return presentMe(user, session);
    },
  );
};
