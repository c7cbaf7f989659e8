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
} as const satisfies Record<string, ErrorSpec>;
