import { z } from 'zod';

/** Roles, least privileged last. */
export const Role = z.enum(['owner', 'admin', 'trader', 'viewer']);
export type Role = z.infer<typeof Role>;

/** What an API token may do: read only; read and trade; everything its user may. */
export const TokenScope = z.enum(['read', 'trade', 'admin']);
export type TokenScope = z.infer<typeof TokenScope>;

export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254));

/** The shape of a new password; the server also refuses common and guessable ones (AUTH_WEAK_PASSWORD). */
export const Password = z.string().min(12, 'at least 12 characters').max(256, 'at most 256 characters');

export const SetupStatus = z.object({
  needsOwner: z.boolean(),
  /** Whether anyone may create their own trader account (SIGNUP=open). */
  signupOpen: z.boolean().optional(),
});
export type SetupStatus = z.infer<typeof SetupStatus>;

export const CreateOwnerBody = z.object({ email: Email, password: Password }).strict();
export type CreateOwnerBody = z.infer<typeof CreateOwnerBody>;

export const LoginBody = z
  .object({
    email: Email,
    password: z.string().min(1).max(256),
    /** Keep the session for 30 days (default); false: a cookie that ends with the browser session. */
    remember: z.boolean().optional(),
  })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

/** The signed-in user, and the CSRF token to send as `x-csrf-token` on changes (empty for API tokens). */
export const Me = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  csrfToken: z.string(),
  /** Whether a second factor is on (always sent by the server; optional for older clients' fixtures). */
  mfaEnabled: z.boolean().optional(),
  /** Whether the e-mail address has been confirmed through an e-mailed link (optional for older fixtures). */
  emailVerified: z.boolean().optional(),
});
export type Me = z.infer<typeof Me>;

/** A sign-in that needs a second factor: send a code with the challenge to /auth/mfa/verify. */
export const MfaRequired = z.object({
  mfaRequired: z.literal(true),
  challengeId: z.string(),
  /** How the second step can be answered: an authenticator (or recovery) code, a passkey, or either. */
  methods: z.array(z.enum(['totp', 'passkey'])).optional(),
});
export type MfaRequired = z.infer<typeof MfaRequired>;

export const MfaVerifyBody = z
  .object({
    challengeId: z.string().min(10).max(200),
    /** A 6-digit TOTP code or a recovery code. */
    code: z.string().trim().min(6).max(32),
  })
  .strict();

export const TotpEnrolment = z.object({ otpauthUri: z.string(), qrDataUrl: z.string(), secret: z.string() });
export const TotpConfirmBody = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, '6 digits'),
  })
  .strict();
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export const MfaDisableBody = z.object({ password: z.string().min(1).max(256) }).strict();

export const SignupBody = z.object({ email: Email, password: Password }).strict();

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: Password })
  .strict();

/** One of the caller's sessions; `current` marks the one making the request. */
export const SessionJson = z.object({
  id: z.string(),
  device: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});
export type SessionJson = z.infer<typeof SessionJson>;

/** An API token as listed: never the token itself. */
export const ApiTokenJson = z.object({
  id: z.string(),
  name: z.string(),
  scope: TokenScope,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenJson = z.infer<typeof ApiTokenJson>;

export const CreateApiTokenBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    scope: TokenScope,
    /** Days until it expires (1–365); omitted: 90. */
    expiresInDays: z.number().int().min(1).max(365).optional(),
  })
  .strict();

/** A new token: `token` is shown this once and cannot be read again. */
export const CreatedApiTokenJson = ApiTokenJson.extend({ token: z.string() });

export const UserJson = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  mfaEnabled: z.boolean(),
  createdAt: z.string(),
});
export type UserJson = z.infer<typeof UserJson>;

export const CreateUserBody = z
  .object({ email: Email, password: Password, role: Role.default('trader') })
  .strict();
export const ChangeRoleBody = z.object({ role: Role }).strict();

/** Alpaca API keys: saved encrypted, never shown again beyond the last four characters. */
export const BrokerKeysBody = z
  .object({
    keyId: z.string().trim().min(8).max(128),
    secretKey: z.string().trim().min(8).max(256),
    scope: z.enum(['paper', 'live']),
  })
  .strict();
export const BrokerKeysJson = z.object({
  keyIdLast4: z.string(),
  scope: z.enum(['paper', 'live']),
  updatedAt: z.string(),
});

export const AuditEntryJson = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  hash: z.string().nullable(),
});
export const AuditQuery = z.object({
  actorId: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  verify: z.enum(['0', '1']).optional(),
});
export const AuditListJson = z.object({
  entries: z.array(AuditEntryJson),
  verification: z
    .object({ ok: z.boolean(), checked: z.number(), firstBrokenId: z.string().nullable() })
    .optional(),
});

export const SecuritySettingsJson = z.object({ mfaRequired: z.boolean() });
export const SecuritySettingsBody = z.object({ mfaRequired: z.boolean() }).strict();
