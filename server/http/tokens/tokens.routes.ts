import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiTokenJson, CreateApiTokenBody, CreatedApiTokenJson } from '../../../contracts/auth.js';
import type { AccountsDeps } from '../../accounts/accounts-deps.js';
import { createApiToken, revokeApiToken } from '../../accounts/api-tokens.js';
import type { ApiTokenRecord } from '../../ports.js';
import { requireCaller } from '../auth/session.plugin.js';

/** A token as listed: never the token or its hash. */
export function presentToken(t: ApiTokenRecord): ApiTokenJson {
  return {
    id: t.id,
    name: t.name,
    scope: t.scope,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** The caller's API tokens: list, create (shown once), revoke. */
export const tokenRoutes: FastifyPluginAsyncZod<AccountsDeps> = async (app, deps) => {
  const tags = ['tokens'];

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        tags,
        summary: 'Your API tokens (never the tokens themselves)',
        response: { 200: z.array(ApiTokenJson) },
      },
    },
    async (request) => (await deps.apiTokens.list((await requireCaller(request)).user.id)).map(presentToken),
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Create an API token; the token is in this response only',
        body: CreateApiTokenBody,
        response: { 201: CreatedApiTokenJson },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      const { token, record } = await createApiToken(
        { userId: user.id, ...request.body, now: deps.now(), ip: request.ip },
        deps,
      );
      return reply.code(201).send({ ...presentToken(record), token });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Revoke one of your tokens',
        params: z.object({ id: z.string().max(64) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      await revokeApiToken({ userId: user.id, id: request.params.id, now: deps.now(), ip: request.ip }, deps);
      return reply.code(204).send(null);
    },
  );
};
