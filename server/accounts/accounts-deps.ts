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
import type { SecretVault } from './user-secrets.js';

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
}

/** The settings key of "every user must have MFA". */
export const MFA_REQUIRED_SETTING = 'security.mfa_required';
