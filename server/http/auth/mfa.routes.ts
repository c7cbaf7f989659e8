import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Me,
  MfaDisableBody,
  MfaVerifyBody,
  RecoveryCodes,
  TotpConfirmBody,
  TotpEnrolment,
} from '../../../contracts/auth.js';
import type { AccountsDeps } from '../../accounts/accounts-deps.js';
import { confirmTotp, disableMfa, startTotpEnrolment, verifyMfaChallenge } from '../../accounts/mfa.js';
import { beginSession } from './auth.routes.js';
import { requireSession } from './session.plugin.js';

/** TOTP enrolment, the second step of sign-in, and turning MFA off. */
export const mfaRoutes: FastifyPluginAsyncZod<AccountsDeps> = async (app, deps) => {
  const tags = ['auth'];

  app.post(
    '/api/v1/auth/mfa/totp',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Start TOTP enrolment: an otpauth URI and its QR code',
        response: { 200: TotpEnrolment },
      },
    },
    async (request) => startTotpEnrolment((await requireSession(request)).user, deps),
  );

  app.post(
    '/api/v1/auth/mfa/totp/confirm',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Confirm enrolment with a code; returns ten single-use recovery codes, shown once',
        body: TotpConfirmBody,
        response: { 200: RecoveryCodes },
      },
    },
    async (request) => {
      const { user } = await requireSession(request);
      return { recoveryCodes: await confirmTotp({ user, code: request.body.code, ip: request.ip }, deps) };
    },
  );

  app.post(
    '/api/v1/auth/mfa/verify',
    {
      schema: {
        tags,
        summary: 'Second step of sign-in: a TOTP or recovery code',
        body: MfaVerifyBody,
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { user, remember } = await verifyMfaChallenge({ ...request.body, ip: request.ip }, deps);
      return beginSession(request, reply, user, remember, deps);
    },
  );

  app.delete(
    '/api/v1/auth/mfa',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Turn two-factor authentication off (password required)',
        body: MfaDisableBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { user } = await requireSession(request);
      await disableMfa({ user, password: request.body.password, ip: request.ip }, deps);
      return reply.code(204).send(null);
    },
  );
};
