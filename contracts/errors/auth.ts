import type { ErrorSpec } from './spec.js';

/** Sign-in, session and permission errors. */
export const AUTH_ERRORS = {
  AUTH_REQUIRED: { status: 401, description: 'Sign in first: the route needs a session or an API token.' },
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    description: 'The e-mail or password is wrong (never says which).',
  },
  AUTH_FORBIDDEN: { status: 403, description: 'Signed in, but your role may not do this.' },
  AUTH_TOKEN_SCOPE: {
    status: 403,
    description: "The API token's scope (read, trade, admin) does not cover this route.",
  },
  AUTH_CSRF_FAILED: {
    status: 403,
    description: 'A cookie-authenticated change came without a valid CSRF token.',
  },
  AUTH_SETUP_COMPLETE: {
    status: 409,
    description: 'The owner account exists already; first-run setup is closed.',
  },
  AUTH_SETUP_REQUIRED: { status: 409, description: 'No owner account exists yet; create one first.' },
  AUTH_WEAK_PASSWORD: {
    status: 400,
    description: 'The password is too short, too common, or guessable from a pattern or the e-mail.',
  },
  AUTH_EMAIL_TAKEN: { status: 409, description: 'A user with this e-mail exists already.' },
  AUTH_SIGNUP_CLOSED: { status: 403, description: 'Open sign-up is off (SIGNUP=closed); ask an admin.' },
  AUTH_LAST_OWNER: { status: 409, description: 'The last owner cannot be demoted; promote another first.' },
  AUTH_NOT_FOUND: { status: 404, description: 'No such user, token, session or key of yours.' },
  AUTH_THROTTLED: {
    status: 429,
    description: 'Too many failed sign-ins for this account or address; wait `Retry-After` seconds.',
  },
  AUTH_MFA_INVALID: { status: 401, description: 'The code or the sign-in challenge is wrong or expired.' },
  AUTH_MFA_ALREADY_ENABLED: { status: 409, description: 'Two-factor authentication is on already.' },
  AUTH_MFA_NOT_PENDING: { status: 409, description: 'Start TOTP enrolment before confirming a code.' },
  AUTH_MFA_ENROLMENT_REQUIRED: {
    status: 403,
    description: 'An admin requires two-factor authentication: enrol TOTP before anything else.',
  },
  AUTH_OIDC_FAILED: {
    status: 401,
    description:
      'Single sign-on failed: the provider refused, the state did not match, or the e-mail is not verified.',
  },
  AUTH_DELETION_NOT_SCHEDULED: {
    status: 409,
    description: 'No account deletion is scheduled, so there is nothing to cancel.',
  },
  AUTH_OIDC_DISABLED: {
    status: 404,
    description: 'No single sign-on provider of this name is configured (OIDC_PROVIDERS).',
  },
  AUTH_OIDC_UNAVAILABLE: {
    status: 502,
    description: 'The single sign-on provider could not be reached (discovery failed or timed out).',
  },
  AUTH_OIDC_NOT_LINKED: {
    status: 409,
    description:
      'A Pulse account has this e-mail but is not linked to the provider: sign in with the password and link it in Settings.',
  },
  AUTH_IDENTITY_TAKEN: {
    status: 409,
    description: 'This provider account is linked to another Pulse user already.',
  },
  AUTH_IDENTITY_LAST_METHOD: {
    status: 409,
    description:
      'Unlinking would leave the account with no way to sign in: set a password or link another first.',
  },
  AUTH_EMAIL_TOKEN_INVALID: {
    status: 400,
    description: 'The e-mailed link is not valid (mistyped, or for another address).',
  },
  AUTH_EMAIL_TOKEN_USED: {
    status: 410,
    description: 'The e-mailed link has been used already; ask for a new one.',
  },
  AUTH_EMAIL_TOKEN_EXPIRED: {
    status: 410,
    description:
      'The e-mailed link has expired (reset: 30 minutes, verification: 48 hours); ask for a new one.',
  },
  AUTH_EMAIL_RESEND_LIMITED: {
    status: 429,
    description: 'Verification e-mails: one a minute and five a day; wait `Retry-After` seconds.',
  },
  AUTH_EMAIL_UNVERIFIED: {
    status: 403,
    description: 'Confirm your e-mail address first (live-trading broker keys need a verified address).',
  },
  AUTH_EMAIL_DISABLED: {
    status: 409,
    description: 'No mail server is configured (SMTP_URL), so no e-mail can be sent.',
  },
  AUTH_PASSKEY_INVALID: {
    status: 400,
    description:
      'The passkey could not be verified (wrong origin, unknown or foreign credential, bad signature), or the ceremony expired (5 minutes).',
  },
  AUTH_PASSKEY_UNAVAILABLE: {
    status: 409,
    description:
      'Passkeys need Pulse to be opened at a host name (localhost or a domain), not an IP address; or set PUBLIC_URL.',
  },
  AUTH_PASSKEY_LIMIT: { status: 409, description: 'An account can hold at most 20 passkeys.' },
  AUTH_PASSKEY_EXISTS: { status: 409, description: 'This passkey is registered already.' },
  AUTH_PASSKEY_NOT_FOUND: { status: 404, description: 'No such passkey on this account.' },
} as const satisfies Record<string, ErrorSpec>;
