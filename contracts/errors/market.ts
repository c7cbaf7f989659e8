import type { ErrorSpec } from './spec.js';

/** Market data, watchlist and streaming errors. */
export const MARKET_ERRORS = {
  MARKET_UNKNOWN_SYMBOL: { status: 404, description: 'No instrument has this symbol.' },
  MARKET_INVALID_TIMEFRAME: {
    status: 400,
    description: 'The timeframe is not one of 1–59Min, 1–23Hour, 1Day, 1Week, 1/2/3/4/6/12Month.',
  },
  MARKET_INVALID_PARAMETER: {
    status: 400,
    description: 'A market-data query parameter is invalid; `message` names it.',
  },
  MARKET_OUT_OF_RANGE: {
    status: 400,
    description: 'The time lies outside the data the market source covers (the simulator: 2000–2030).',
  },
  MARKET_INVALID_PAGE_TOKEN: {
    status: 400,
    description: 'The page_token was not issued by this server for this query.',
  },
  WATCHLIST_NOT_FOUND: { status: 404, description: 'No watchlist of yours has this id.' },
  WATCHLIST_NAME_TAKEN: { status: 409, description: 'You already have a watchlist with this name.' },
  WATCHLIST_LIMIT_REACHED: {
    status: 409,
    description: 'A user may keep at most 50 watchlists of 200 symbols each.',
  },
  WATCHLIST_INVALID_ORDER: {
    status: 400,
    description: 'A reorder must list each of your watchlist ids exactly once.',
  },
  STREAM_INVALID_MESSAGE: {
    status: 400,
    description: 'A WebSocket message was not valid JSON of a known action.',
  },
  STREAM_TOO_MANY_SYMBOLS: {
    status: 400,
    description: 'A subscription would exceed the per-connection symbol limit.',
  },
} as const satisfies Record<string, ErrorSpec>;
