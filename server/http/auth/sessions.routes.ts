import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SessionJson } from '../../../contracts/auth.js';
import type { AccountsDeps } from '../../accounts/accounts-deps.js';
import { AppError } from '../../errors.js';
import { deviceName } from './device-name.js';
import { requireCaller } from './session.plugin.js';

/** The caller's sessions: list (device, address, last seen) and revoke. */
export const sessionsRoutes: FastifyPluginAsyncZod<AccountsDeps> = async (app, deps) => {
  const tags = ['auth'];

  app.get(
    '/api/v1/auth/sessions',
    { schema: { tags, summary: 'Your signed-in sessions', response: { 200: z.array(SessionJson) } } },
    async (request) => {
      const caller = await requireCaller(request);
      const now = deps.now().getTime();
      const sessions = await deps.sessions.listForUser(caller.user.id);
      return sessions
        .filter((s) => s.expiresAt.getTime() > now)
        .map((s) => ({
          id: s.id,
          device: deviceName(s.userAgent),
          userAgent: s.userAgent,
          ip: s.ip,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          current: caller.session?.id === s.id,
        }));
    },
  );

  app.delete(
    '/api/v1/auth/sessions/:id',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Sign out one of your sessions',
        params: z.object({ id: z.string().max(64) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      if (!(await deps.sessions.deleteById(user.id, request.params.id)))
        throw new AppError('AUTH_NOT_FOUND', 'No such session of yours.');
      await deps.audit.record({
        actorId: user.id,
        action: 'auth.session_revoked',
        ip: request.ip,
        detail: { sessionId: request.params.id },
      });
      return reply.code(204).send(null);
    },
  );
};
