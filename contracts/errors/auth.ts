import type { ErrorSpec } from './spec.js';

/** Sign-in, session and permission errors. */
export const AUTH_ERRORS = {
  AUTH_REQUIRED: { status: 401, description: 'Sign in first: the route needs a session.' },
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    description: 'The e-mail or password is wrong (never says which).',
  },
  AUTH_FORBIDDEN: { status: 403, description: 'Signed in, but your role may not do this.' },
  AUTH_CSRF_FAILED: {
    status: 403,
    description: 'A cookie-authenticated change came without a valid CSRF token.',
  },
  AUTH_SETUP_COMPLETE: {
    status: 409,
    description: 'The owner account exists already; first-run setup is closed.',
  },
  AUTH_SETUP_REQUIRED: { status: 409, description: 'No owner account exists yet; create one first.' },
  AUTH_WEAK_PASSWORD: { status: 400, description: 'The password does not meet the password policy.' },
} as const satisfies Record<string, ErrorSpec>;
