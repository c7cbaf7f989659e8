import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Me, MfaDisableBody } from '../../../contracts/auth.js';
import {
  MfaPasskeyBody,
  MfaPasskeyOptionsBody,
  Passkey,
  PasskeyAdded,
  PasskeyCeremony,
  PasskeyRegisterBody,
  PasskeyRenameBody,
  PasskeySignInBody,
  WebAuthnOptions,
} from '../../../contracts/passkeys.js';
import type { AccountsDeps } from '../../accounts/accounts-deps.js';
import {
  mfaPasskeyOptions,
  type PasskeyDeps,
  type PasskeyRecord,
  type PasskeyStore,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  registerPasskey,
  relyingParty,
  removePasskey,
  signInWithPasskey,
  verifyMfaPasskey,
} from '../../accounts/passkeys.js';
import { AppError } from '../../errors.js';
import { beginSession } from './auth.routes.js';
import { requireSession } from './session.plugin.js';

/** What the passkey routes need on top of the accounts dependencies. */
export type PasskeyRoutesDeps = AccountsDeps & {
  passkeys: PasskeyStore;
  /** PUBLIC_URL when set: the relying party; otherwise the origin each request came to. */
  passkeyOrigin?: string | undefined;
};

function present(p: PasskeyRecord): Passkey {
  return {
    id: p.id,
    name: p.name,
    deviceType: p.deviceType,
    backedUp: p.backedUp,
    createdAt: p.createdAt.toISOString(),
    lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
  };
}

/** WebAuthn passkeys: added from the security settings, used as a second factor or to sign in without a password. */
export const passkeyRoutes: FastifyPluginAsyncZod<PasskeyRoutesDeps> = async (app, deps) => {
  const tags = ['auth'];
  const ceremonies: PasskeyDeps = deps;
  const rp = (request: FastifyRequest) =>
    relyingParty(deps.passkeyOrigin, `${request.protocol}://${request.host}`);

  app.get(
    '/api/v1/auth/passkeys',
    {
      config: { access: 'self' },
      schema: { tags, summary: 'Your passkeys', response: { 200: z.array(Passkey) } },
    },
    async (request) => {
      const { user } = await requireSession(request);
      return (await deps.passkeys.list(user.id)).map(present);
    },
  );

  app.post(
    '/api/v1/auth/passkeys/options',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Start adding a passkey: options for navigator.credentials.create()',
        response: { 200: PasskeyCeremony },
      },
    },
    async (request) => {
      const { user } = await requireSession(request);
      const { flowId, options } = await passkeyRegistrationOptions(user, rp(request), ceremonies);
      return { flowId, options: { ...options } };
    },
  );

  app.post(
    '/api/v1/auth/passkeys',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary:
          'Finish adding a passkey; the first second factor also returns ten recovery codes (shown once)',
        body: PasskeyRegisterBody,
        response: { 201: PasskeyAdded },
      },
    },
    async (request, reply) => {
      const { user } = await requireSession(request);
      const { passkey, recoveryCodes } = await registerPasskey(
        {
          user,
          flowId: request.body.flowId,
          name: request.body.name,
          response: request.body.response,
          ip: request.ip,
        },
        rp(request),
        ceremonies,
      );
      return reply.code(201).send({ passkey: present(passkey), recoveryCodes });
    },
  );

  app.patch(
    '/api/v1/auth/passkeys/:id',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Rename a passkey',
        params: z.object({ id: z.string().min(1).max(1_400) }),
        body: PasskeyRenameBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { user } = await requireSession(request);
      if (!(await deps.passkeys.rename(user.id, request.params.id, request.body.name)))
        throw new AppError('AUTH_PASSKEY_NOT_FOUND', 'No such passkey.');
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/auth/passkeys/:id',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Remove a passkey (password required); the last second factor turns two-factor sign-in off',
        params: z.object({ id: z.string().min(1).max(1_400) }),
        body: MfaDisableBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { user } = await requireSession(request);
      await removePasskey(
        { user, id: request.params.id, password: request.body.password, ip: request.ip },
        ceremonies,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/passkeys/sign-in/options',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Start signing in with a passkey: options for navigator.credentials.get()',
        response: { 200: PasskeyCeremony },
      },
    },
    async (request) => {
      const { flowId, options } = await passkeySignInOptions(rp(request), ceremonies);
      return { flowId, options: { ...options } };
    },
  );

  app.post(
    '/api/v1/auth/passkeys/sign-in',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Sign in with a passkey alone (it verifies the user, so no second step follows)',
        body: PasskeySignInBody,
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { user, remember } = await signInWithPasskey(
        { flowId: request.body.flowId, response: request.body.response, ip: request.ip },
        rp(request),
        ceremonies,
      );
      return beginSession(request, reply, user, remember, deps);
    },
  );

  app.post(
    '/api/v1/auth/mfa/passkey/options',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "Second step of sign-in with a passkey: options naming the account's passkeys",
        body: MfaPasskeyOptionsBody,
        response: { 200: z.object({ options: WebAuthnOptions }) },
      },
    },
    async (request) => {
      const { options } = await mfaPasskeyOptions(
        { challengeId: request.body.challengeId },
        rp(request),
        ceremonies,
      );
      return { options: { ...options } };
    },
  );

  app.post(
    '/api/v1/auth/mfa/passkey',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Second step of sign-in: answer the challenge with a passkey',
        body: MfaPasskeyBody,
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { user, remember } = await verifyMfaPasskey(
        { challengeId: request.body.challengeId, response: request.body.response, ip: request.ip },
        rp(request),
        ceremonies,
      );
      return beginSession(request, reply, user, remember, deps);
    },
  );
};
