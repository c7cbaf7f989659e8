import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ForgotPasswordBody,
  ForgotPasswordJson,
  ResendVerificationJson,
  ResetPasswordBody,
  VerifyEmailBody,
} from '../../../contracts/account-links.js';
import type { AccountLinksDeps, AccountsDeps } from '../../accounts/accounts-deps.js';
import { resendVerification, sendVerification, verifyEmail } from '../../accounts/email-verification.js';
import { forgotPassword, type PasswordResetDeps, resetPassword } from '../../accounts/password-reset.js';
import { AppError } from '../../errors.js';
import type { UserRecord } from '../../ports.js';
import { requireSession } from './session.plugin.js';
import { z } from 'zod';

/** The e-mail flows' view of the accounts dependencies. */
export function emailFlowDeps(deps: AccountsDeps, links: AccountLinksDeps): PasswordResetDeps {
  return {
    users: deps.users,
    sessions: deps.sessions,
    emailTokens: links.emailTokens,
    audit: deps.audit,
    now: deps.now,
    mailer: deps.mailer,
    publicUrl: links.publicUrl,
    mailEnabled: links.mailEnabled,
    onMailError: (error) => deps.onMailError?.(error),
  };
}

/** Sends a new user their verification link (sign-up, owner setup, users made by admins); never fails the caller. */
export async function sendVerificationTo(
  user: Pick<UserRecord, 'id' | 'email'>,
  deps: AccountsDeps,
): Promise<void> {
  if (!deps.links) return;
  try {
    await sendVerification(user, emailFlowDeps(deps, deps.links));
  } catch (error) {
    deps.onMailError?.(error);
  }
}

function retryAfter(error: unknown): number | undefined {
  const wait = error instanceof AppError ? error.details?.retryAfterSeconds : undefined;
  return typeof wait === 'number' ? wait : undefined;
}

/** E-mail verification and password reset by e-mail. */
export const emailRoutes: FastifyPluginAsyncZod<AccountsDeps & { links: AccountLinksDeps }> = async (
  app,
  deps,
) => {
  const tags = ['auth'];
  const flow = emailFlowDeps(deps, deps.links);

  app.post(
    '/api/v1/auth/verify-email',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Confirm an e-mail address with the token from the e-mailed link (works once)',
        body: VerifyEmailBody,
        response: { 200: z.object({ emailVerified: z.literal(true) }) },
      },
    },
    async (request) => {
      await verifyEmail({ token: request.body.token, ip: request.ip }, flow);
      return { emailVerified: true as const };
    },
  );

  app.post(
    '/api/v1/auth/verify-email/resend',
    {
      config: { access: 'self' },
      schema: {
        tags,
        summary: 'Send a new verification link to your address (one a minute, five a day)',
        response: { 202: ResendVerificationJson },
      },
    },
    async (request, reply) => {
      const { user } = await requireSession(request);
      try {
        const status = await resendVerification({ user, ip: request.ip }, flow);
        return reply.code(202).send({ status });
      } catch (error) {
        const wait = retryAfter(error);
        if (wait !== undefined) reply.header('retry-after', String(wait));
        throw error;
      }
    },
  );

  app.post(
    '/api/v1/auth/password/forgot',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'E-mail a password reset link; the answer is the same whether or not the address has an account',
        body: ForgotPasswordBody,
        response: { 202: ForgotPasswordJson },
      },
    },
    async (request, reply) => {
      // Answer first, then look the address up: the response and its timing are the same for
      // every address; the lookup, the token and the e-mail happen after it.
      const input = { email: request.body.email, ip: request.ip };
      setImmediate(() => {
        forgotPassword(input, flow).catch((err: unknown) =>
          request.log.error({ err }, 'password reset request failed'),
        );
      });
      return reply.code(202).send({ accepted: true as const });
    },
  );

  app.post(
    '/api/v1/auth/password/reset',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Set a new password with the token from the e-mailed link; signs out every session',
        body: ResetPasswordBody,
        response: { 200: z.object({ endedSessions: z.number() }) },
      },
    },
    async (request) => resetPassword({ ...request.body, ip: request.ip }, flow),
  );
};
