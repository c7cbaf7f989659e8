import { z } from 'zod';

// WebAuthn passkeys: kept apart from auth.ts so the sign-in shell does not carry them.

/** base64url, as WebAuthn's JSON encodes binary fields. */
const B64url = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/, 'base64url')
  .max(16_384);
const Transports = z.array(z.string().max(32)).max(8).optional();

/** A new credential as the browser returns it from navigator.credentials.create(), JSON-encoded. */
export const PasskeyRegistrationResponse = z.object({
  id: B64url.min(1).max(1_400),
  rawId: B64url.min(1).max(1_400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: B64url,
    attestationObject: B64url,
    transports: Transports,
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type PasskeyRegistrationResponse = z.infer<typeof PasskeyRegistrationResponse>;

/** An assertion as the browser returns it from navigator.credentials.get(), JSON-encoded. */
export const PasskeyAuthenticationResponse = z.object({
  id: B64url.min(1).max(1_400),
  rawId: B64url.min(1).max(1_400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: B64url,
    authenticatorData: B64url,
    signature: B64url,
    userHandle: B64url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type PasskeyAuthenticationResponse = z.infer<typeof PasskeyAuthenticationResponse>;

/** WebAuthn options for the browser (PublicKeyCredentialCreationOptionsJSON or …RequestOptionsJSON). */
export const WebAuthnOptions = z.object({ challenge: z.string() }).catchall(z.unknown());

export const PasskeyCeremony = z.object({ flowId: z.string(), options: WebAuthnOptions });
export const PasskeyRegisterBody = z
  .object({
    flowId: z.string().min(10).max(200),
    name: z.string().trim().min(1).max(64).default('Passkey'),
    response: PasskeyRegistrationResponse,
  })
  .strict();
export const PasskeySignInBody = z
  .object({ flowId: z.string().min(10).max(200), response: PasskeyAuthenticationResponse })
  .strict();
export const MfaPasskeyOptionsBody = z.object({ challengeId: z.string().min(10).max(200) }).strict();
export const MfaPasskeyBody = z
  .object({ challengeId: z.string().min(10).max(200), response: PasskeyAuthenticationResponse })
  .strict();
export const PasskeyRenameBody = z.object({ name: z.string().trim().min(1).max(64) }).strict();

/** A passkey as listed in the security settings (never its key). */
export const Passkey = z.object({
  id: z.string(),
  name: z.string(),
  deviceType: z.string(),
  backedUp: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type Passkey = z.infer<typeof Passkey>;
export const PasskeyAdded = z.object({ passkey: Passkey, recoveryCodes: z.array(z.string()).nullable() });
