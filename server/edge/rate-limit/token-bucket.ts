/** A bucket's capacity (the burst) and how fast it refills. */
export interface BucketRule {
  capacity: number;
  refillPerSecond: number;
}

/** A bucket's state: tokens left at a moment. */
export interface BucketState {
  tokens: number;
  at: number;
}

/** The outcome of taking from a bucket. */
export interface BucketDecision {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When the bucket is full again (ms from now). */
  resetMs: number;
  /** How long until `cost` tokens are available (0 when allowed). */
  retryAfterMs: number;
  state: BucketState;
}

/** Takes `cost` tokens from a token bucket (pure; the stores persist `state`). */
export function takeTokens(
  previous: BucketState | undefined,
  rule: BucketRule,
  now: number,
  cost = 1,
): BucketDecision {
  return takeTokensInPlace(
    previous === undefined ? { tokens: rule.capacity, at: now } : { ...previous },
    rule,
    now,
    cost,
  );
}

/** The same on a bucket the caller owns: `state` is updated where it lies and is the decision's state. */
export function takeTokensInPlace(
  state: BucketState,
  rule: BucketRule,
  now: number,
  cost = 1,
): BucketDecision {
  return decisionAfter(state, rule, tryTakeInPlace(state, rule, now, cost), cost);
}

/**
 * Refills `state` to `now` where it lies and takes `cost` tokens if it holds them: true when it did, false when it
 * took nothing. takeTokensInPlace without building its decision, for a caller that needs one only now and then.
 */
export function tryTakeInPlace(state: BucketState, rule: BucketRule, now: number, cost = 1): boolean {
  const elapsed = Math.max(0, now - state.at);
  const available = Math.min(rule.capacity, state.tokens + (elapsed / 1000) * rule.refillPerSecond);
  const allowed = available >= cost;
  state.tokens = allowed ? available - cost : available;
  state.at = now;
  return allowed;
}

/** The decision of the take {@link tryTakeInPlace} just made on `state` (`allowed`: what it returned). */
export function decisionAfter(
  state: BucketState,
  rule: BucketRule,
  allowed: boolean,
  cost = 1,
): BucketDecision {
  const { tokens } = state;
  const perToken = 1000 / rule.refillPerSecond;
  return {
    allowed,
    remaining: Math.floor(tokens),
    resetMs: Math.ceil((rule.capacity - tokens) * perToken),
    retryAfterMs: allowed ? 0 : Math.ceil((cost - tokens) * perToken),
    state,
  };
}
