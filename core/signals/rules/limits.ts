/** What a rule may ask for; past any of these it is refused with SIGNALS_RULE_TOO_COMPLEX. */
export const RULE_LIMITS = {
  /** Characters of rule text, comments included. */
  maxLength: 2_000,
  /** Nested parentheses, calls and unary operators. */
  maxDepth: 32,
  /** Distinct indicator instances after deduplication. */
  maxIndicators: 64,
  /** Any period, lookback or `prev`/`change` distance, in bars. */
  maxBars: 5_000,
} as const;
