import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BrokerKeysBody, BrokerKeysJson } from '../../../contracts/auth.js';
import type { AccountsDeps } from '../../accounts/accounts-deps.js';
import {
  type BrokerKeysView,
  deleteBrokerKeys,
  saveBrokerKeys,
  viewBrokerKeys,
} from '../../accounts/broker-keys.js';
import { AppError } from '../../errors.js';
import { requireCaller } from '../auth/session.plugin.js';

function present(view: BrokerKeysView): z.infer<typeof BrokerKeysJson> {
  return { keyIdLast4: view.keyIdLast4, scope: view.scope, updatedAt: view.updatedAt.toISOString() };
}

/** What the broker-key routes need: the accounts' stores, and who must hear that a user's keys changed. */
export type BrokerKeyRoutesOptions = AccountsDeps & {
  /** Called after a user's keys are saved or deleted (the trading service reconnects or falls back to paper). */
  brokerKeysChanged?: (userId: string) => Promise<void>;
};

/** The caller's Alpaca keys: saved encrypted, shown only as their last four characters. */
export const brokerKeyRoutes: FastifyPluginAsyncZod<BrokerKeyRoutesOptions> = async (app, deps) => {
  const changed = (userId: string) => deps.brokerKeysChanged?.(userId) ?? Promise.resolve();
  const tags = ['broker-keys'];

  app.put(
    '/api/v1/broker-keys',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Save your Alpaca keys (encrypted at rest; never shown again)',
        body: BrokerKeysBody,
        response: { 200: BrokerKeysJson },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      // Live keys move real money: with e-mail configured, the address must be confirmed first.
      if (request.body.scope === 'live' && deps.links?.mailEnabled && user.emailVerified !== true)
        throw new AppError(
          'AUTH_EMAIL_UNVERIFIED',
          'Confirm your e-mail address (see the link we sent) before saving live-trading keys.',
        );
      const view = await saveBrokerKeys(
        { userId: user.id, ...request.body, ip: request.ip, now: deps.now() },
        deps,
      );
      await changed(user.id);
      return present(view);
    },
  );

  app.get(
    '/api/v1/broker-keys',
    {
      schema: {
        tags,
        summary: 'Which keys are saved: the last four characters and the scope',
        response: { 200: BrokerKeysJson },
      },
    },
    async (request) => present(await viewBrokerKeys((await requireCaller(request)).user.id, deps)),
  );

  app.delete(
    '/api/v1/broker-keys',
    {
      config: { access: 'self' },
      schema: { tags, summary: 'Delete your saved keys', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      await deleteBrokerKeys({ userId: user.id, ip: request.ip }, deps);
      await changed(user.id);
      return reply.code(204).send(null);
    },
  );
};
