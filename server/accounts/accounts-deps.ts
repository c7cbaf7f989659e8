import type {
  ApiTokenStore,
  AuditLog,
  AuditReader,
  Mailer,
  MfaStore,
  SessionStore,
  SettingsStore,
  SignInThrottleStore,
  UserStore,
} from '../ports.js';
import type { EmailTokenStore } from './email-tokens.js';
import type { PasskeyStore } from './passkeys.js';
import type { OidcProviders } from './oidc-client.js';
import type { IdentityStore } from './oidc-identities.js';
import type { SecretVault } from './user-secrets.js';

/** E-mail verification, password reset by e-mail and single sign-on (migration 0050). */
export interface AccountLinksDeps {
  emailTokens: EmailTokenStore;
  identities: IdentityStore;
  providers: OidcProviders;
  /** The origin of e-mailed links and OIDC redirect URIs (PUBLIC_URL). */
  publicUrl: string;
  /** Whether SMTP_URL is set; without it no verification or reset e-mail is sent. */
  mailEnabled: boolean;
  /** OIDC_LINK_VERIFIED_EMAIL: see accounts/oidc-sign-in.ts. */
  linkVerifiedEmail: boolean;
}

/** Everything the accounts routes need, given by buildApp. */
export interface AccountsDeps {
  users: UserStore;
  sessions: SessionStore;
  apiTokens: ApiTokenStore;
  audit: AuditLog;
  auditReader: AuditReader;
  throttle: SignInThrottleStore;
  mfa: MfaStore;
  settings: SettingsStore;
  vault: SecretVault;
  mailer: Mailer;
  now: () => Date;
  /** SIGNUP=open lets anyone create a trader account; closed (default): owners and admins only. */
  signup: 'open' | 'closed';
  cookieSecure: 'auto' | 'true' | 'false';
  onMailError?: (error: unknown) => void;
  /** E-mail flows and single sign-on; omitted: their routes are not registered. */
  links?: AccountLinksDeps;
  /** WebAuthn passkeys; they count as a second factor and can sign in without a password. */
  passkeys?: PasskeyStore;
}

/** The settings key of "every user must have MFA". */
export const MFA_REQUIRED_SETTING = 'security.mfa_required';
