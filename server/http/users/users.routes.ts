import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangeRoleBody,
  CreateUserBody,
  SecuritySettingsBody,
  SecuritySettingsJson,
  UserJson,
} from '../../../contracts/auth.js';
import { type AccountsDeps, MFA_REQUIRED_SETTING } from '../../accounts/accounts-deps.js';
import { changeRole, createUser } from '../../accounts/users.js';
import type { UserRecord } from '../../ports.js';
import { sendVerificationTo } from '../auth/email.routes.js';
import { requireCaller } from '../auth/session.plugin.js';

/** A user as admins see them: never the password hash. */
export function presentUser(u: UserRecord): UserJson {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    mfaEnabled: u.mfaEnabled,
    createdAt: u.createdAt.toISOString(),
  };
}

/** User administration (owners and admins) and platform security settings. */
export const userRoutes: FastifyPluginAsyncZod<AccountsDeps> = async (app, deps) => {
  const tags = ['users'];

  app.get(
    '/api/v1/users',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Every user (owner/admin)', response: { 200: z.array(UserJson) } },
    },
    async () => (await deps.users.list()).map(presentUser),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Create a user (owner/admin; admins cannot create owners)',
        body: CreateUserBody,
        response: { 201: UserJson },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      const created = await createUser(
        { ...request.body, actor: { id: user.id, role: user.role, ip: request.ip } },
        deps,
      );
      await sendVerificationTo(created, deps);
      return reply.code(201).send(presentUser(created));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: 'owner' },
      schema: {
        tags,
        summary: "Change a user's role (owner only; the last owner cannot be demoted)",
        params: z.object({ id: z.string().max(64) }),
        body: ChangeRoleBody,
        response: { 200: UserJson },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return presentUser(
        await changeRole(
          {
            userId: request.params.id,
            role: request.body.role,
            actor: { id: user.id, role: user.role, ip: request.ip },
          },
          deps,
        ),
      );
    },
  );

  app.get(
    '/api/v1/admin/security',
    {
      schema: {
        tags,
        summary: 'Platform security settings (owner/admin)',
        response: { 200: SecuritySettingsJson },
      },
    },
    async () => ({ mfaRequired: (await deps.settings.get(MFA_REQUIRED_SETTING)) === 'true' }),
  );

  app.put(
    '/api/v1/admin/security',
    {
      schema: {
        tags,
        summary: 'Require MFA for everyone, or not (owner/admin)',
        body: SecuritySettingsBody,
        response: { 200: SecuritySettingsJson },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      await deps.settings.set(MFA_REQUIRED_SETTING, String(request.body.mfaRequired));
      await deps.audit.record({
        actorId: user.id,
        action: 'settings.mfa_required_changed',
        ip: request.ip,
        detail: { mfaRequired: request.body.mfaRequired },
      });
      return { mfaRequired: request.body.mfaRequired };
    },
  );
};
