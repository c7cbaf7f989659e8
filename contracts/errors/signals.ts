import type { ErrorSpec } from './spec.js';

/** Signals, indicators, rules and backtest errors. */
export const SIGNALS_ERRORS = {
  SIGNALS_UNKNOWN_INDICATOR: {
    status: 400,
    description: 'No indicator has this name; `message` lists the known ones.',
  },
  SIGNALS_INVALID_PARAMETER: {
    status: 400,
    description:
      'An indicator parameter is out of range or not an integer where one is needed; `message` names it.',
  },
  SIGNALS_RULE_INVALID: {
    status: 422,
    description:
      'A signal rule does not parse or type-check; `details.errors` lists each problem with line, column and message.',
  },
  SIGNALS_RULE_TOO_COMPLEX: {
    status: 422,
    description:
      'A signal rule is over a limit: 2,000 characters, nesting depth 32, 64 indicators, or 5,000 bars of lookback.',
  },
  SIGNALS_BARS_OUT_OF_ORDER: {
    status: 400,
    description:
      'Bars fed to a rule must be strictly increasing in time; `details` holds the offending times.',
  },
  SIGNALS_NOT_FOUND: {
    status: 404,
    description: "No signal of yours has this id (another user's signals are not visible).",
  },
  SIGNALS_LIMIT_REACHED: {
    status: 409,
    description: 'You already have the most signals allowed (500), or a signal lists more than 50 symbols.',
  },
  SIGNALS_BACKTEST_NOT_FOUND: {
    status: 404,
    description: 'No backtest of yours has this id.',
  },
  SIGNALS_BACKTEST_QUEUE_FULL: {
    status: 503,
    description: 'Too many backtests are waiting to run; retry when some have finished.',
  },
  SIGNALS_BACKTEST_CANCELED: {
    status: 409,
    description: 'The backtest was canceled before it finished.',
  },
  SIGNALS_NO_BARS: {
    status: 422,
    description:
      'There are no bars for this symbol, timeframe and date range (a weekend, a holiday, or outside the data).',
  },
} as const satisfies Record<string, ErrorSpec>;
