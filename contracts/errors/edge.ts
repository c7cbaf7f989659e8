import type { ErrorSpec } from './spec.js';

/** Edge errors. */
export const EDGE_ERRORS = {
  EDGE_REQUEST_BLOCKED: {
    status: 403,
    description:
      'The in-process firewall scored the request as an attack; `rules` lists the rule ids and `requestId` finds the logged event.',
  },
  EDGE_RATE_LIMITED: {
    status: 429,
    description:
      'Too many requests from this caller or IP for this kind of route; wait `Retry-After` seconds.',
  },
  EDGE_BOT_FORBIDDEN: {
    status: 403,
    description:
      'The User-Agent is a known bot or crawler; bots may read the public pages (/, static assets, /healthz) only.',
  },
  EDGE_CHALLENGE_REQUIRED: {
    status: 428,
    description:
      'Sign-in and sign-up from this client need a proof of work first: GET /api/v1/challenge, find a nonce so that sha256(salt + nonce) starts with `difficulty` zero bits, and resend with `x-pow: id:nonce`. Also answered when the proof is missing, wrong, expired or already used.',
  },
  EDGE_IP_FORBIDDEN: {
    status: 403,
    description:
      'The client address is on the deny list, outside the allow list, or in a blocked country (IP_ALLOW, IP_DENY, GEO_DENY).',
  },
  EDGE_HEADERS_TOO_LARGE: {
    status: 431,
    description: 'The request carried too many header fields; send fewer.',
  },
} as const satisfies Record<string, ErrorSpec>;
