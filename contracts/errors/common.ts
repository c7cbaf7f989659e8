import type { ErrorSpec } from './spec.js';

/** Request, routing and service-level errors. */
export const COMMON_ERRORS = {
  REQUEST_VALIDATION_FAILED: {
    status: 400,
    description: 'The request did not match the schema; `message` names the field.',
  },
  REQUEST_MALFORMED_BODY: {
    status: 400,
    description: 'The body could not be parsed as the declared content type.',
  },
  REQUEST_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    description: 'The body has a content type this route does not accept.',
  },
  REQUEST_BODY_TOO_LARGE: { status: 413, description: 'The body is larger than the route allows.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches this method and path.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The path exists but not for this method.' },
  SERVICE_NOT_READY: {
    status: 503,
    description:
      'A dependency (database, market feed, the node that owns paper trading) is not ready yet; retry shortly.',
  },
  SERVICE_SHUTTING_DOWN: {
    status: 503,
    description: 'The server is draining for shutdown; retry on another node or later.',
  },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected failure; it was logged with the request id.' },
} as const satisfies Record<string, ErrorSpec>;
