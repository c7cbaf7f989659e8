import { z } from 'zod';
import { Email, Password } from './auth.js';

// E-mail verification, password reset and single sign-on. Kept out of auth.ts so the web app's
// entry chunk (which imports auth.ts) does not carry them: only lazily loaded screens use them.

/** A token from an e-mailed link (verification or password reset). */
const EmailLinkToken = z.string().trim().min(20).max(200);

export const VerifyEmailBody = z.object({ token: EmailLinkToken }).strict();
export const ForgotPasswordBody = z.object({ email: Email }).strict();
export const ResetPasswordBody = z.object({ token: EmailLinkToken, password: Password }).strict();
/** The answer to "forgot password": the same whether or not the address has an account. */
export const ForgotPasswordJson = z.object({ accepted: z.literal(true) });
export const ResendVerificationJson = z.object({ status: z.enum(['sent', 'already_verified']) });

/** A configured single sign-on provider, for the sign-in page's buttons. */
export const OidcProviderJson = z.object({ id: z.string(), name: z.string() });
export const OidcProvidersJson = z.object({ providers: z.array(OidcProviderJson) });
export type OidcProviderJson = z.infer<typeof OidcProviderJson>;

/** An identity at a provider linked to the caller's account. */
export const IdentityJson = z.object({
  id: z.string(),
  provider: z.string(),
  providerName: z.string(),
  email: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const IdentityListJson = z.object({
  identities: z.array(IdentityJson),
  /** Whether the account has a password (an account made through single sign-on may not). */
  hasPassword: z.boolean(),
});
/** Where to send the browser to link an identity. */
export const OidcRedirectJson = z.object({ url: z.string() });
