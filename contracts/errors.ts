/** One entry of the error catalog: the HTTP status it maps to and what it means. */
export interface ErrorSpec {
  readonly status: number;
  readonly description: string;
}

/**
 * Every stable error code Pulse returns, as `{ code, message }` bodies. Codes never change meaning;
 * docs/errors.md is generated from this table and a test keeps the two in step.
 */
export const ERROR_CATALOG = {
  REQUEST_VALIDATION_FAILED: { status: 400, description: 'The request did not match the schema; `message` names the field.' },
  REQUEST_MALFORMED_BODY: { status: 400, description: 'The body could not be parsed as the declared content type.' },
  REQUEST_UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The body has a content type this route does not accept.' },
  REQUEST_BODY_TOO_LARGE: { status: 413, description: 'The body is larger than the route allows.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches this method and path.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The path exists but not for this method.' },
  AUTH_REQUIRED: { status: 401, description: 'Sign in first: the route needs a session.' },
  AUTH_INVALID_CREDENTIALS: { status: 401, description: 'The e-mail or password is wrong (never says which).' },
  AUTH_FORBIDDEN: { status: 403, description: 'Signed in, but your role may not do this.' },
  AUTH_CSRF_FAILED: { status: 403, description: 'A cookie-authenticated change came without a valid CSRF token.' },
  AUTH_SETUP_COMPLETE: { status: 409, description: 'The owner account exists already; first-run setup is closed.' },
  AUTH_SETUP_REQUIRED: { status: 409, description: 'No owner account exists yet; create one first.' },
  AUTH_WEAK_PASSWORD: { status: 400, description: 'The password does not meet the password policy.' },
  MARKET_UNKNOWN_SYMBOL: { status: 404, description: 'No instrument has this symbol.' },
  MARKET_INVALID_TIMEFRAME: { status: 400, description: 'The timeframe is not one of 1–59Min, 1–23Hour, 1Day, 1Week, 1/2/3/4/6/12Month.' },
  MARKET_INVALID_PARAMETER: { status: 400, description: 'A market-data query parameter is invalid; `message` names it.' },
  MARKET_INVALID_PAGE_TOKEN: { status: 400, description: 'The page_token was not issued by this server for this query.' },
  STREAM_INVALID_MESSAGE: { status: 400, description: 'A WebSocket message was not valid JSON of a known action.' },
  STREAM_TOO_MANY_SYMBOLS: { status: 400, description: 'A subscription would exceed the per-connection symbol limit.' },
  SERVICE_NOT_READY: { status: 503, description: 'A dependency (database, market feed) is not ready yet; retry shortly.' },
  SERVICE_SHUTTING_DOWN: { status: 503, description: 'The server is draining for shutdown; retry on another node or later.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected failure; it was logged with the request id.' },
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** The body of every error response. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId?: string;
}
