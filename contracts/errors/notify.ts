import type { ErrorSpec } from './spec.js';

/** Notification channel errors (NOTIFY_*). */
export const NOTIFY_ERRORS = {
  NOTIFY_CHANNEL_NOT_FOUND: {
    status: 404,
    description: 'No notification channel of yours has this id.',
  },
  NOTIFY_CHANNEL_LIMIT_REACHED: {
    status: 409,
    description: 'A user may keep at most 20 notification channels, and one in-app channel.',
  },
  NOTIFY_URL_NOT_ALLOWED: {
    status: 400,
    description:
      'A channel URL must be https (Slack: https://hooks.slack.com/services/…, unless NOTIFY_SLACK_ANY_URL is set) and carry no credentials.',
  },
  NOTIFY_CHANNEL_UNAVAILABLE: {
    status: 503,
    description:
      'This server cannot send on this channel type: e-mail needs SMTP_URL, web push needs VAPID keys.',
  },
  NOTIFY_INVALID_TIME_ZONE: {
    status: 400,
    description: 'Quiet hours need an IANA time zone such as America/New_York.',
  },
} as const satisfies Record<string, ErrorSpec>;
