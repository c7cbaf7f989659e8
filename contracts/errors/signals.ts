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
    status: 400,
    description:
      'A signal rule does not parse or type-check; `details.errors` lists each problem with line, column and message.',
  },
  SIGNALS_RULE_TOO_COMPLEX: {
    status: 400,
    description:
      'A signal rule is over a limit: 2,000 characters, nesting depth 32, 64 indicators, or 5,000 bars of lookback.',
  },
  SIGNALS_BARS_OUT_OF_ORDER: {
    status: 400,
    description:
      'Bars fed to a rule must be strictly increasing in time; `details` holds the offending times.',
  },
} as const satisfies Record<string, ErrorSpec>;
