import { DomainError } from '../../kernel/index.js';

/**
 * When a true evaluation becomes a firing:
 * - `once`: the first true bar ever, then never again;
 * - `once_per_bar`: each rising edge (false → true between consecutive bar closes), so a condition that
 *   stays true fires once per episode;
 * - `every_time`: every true bar.
 */
export type FiringMode = 'once' | 'once_per_bar' | 'every_time';

/** Options of `firingPolicy`. */
export type FiringPolicyOptions = {
  readonly mode: FiringMode;
  /** After a firing, the next `cooldownBars` evaluations cannot fire (edges inside the cooldown are dropped). */
  readonly cooldownBars?: number;
  /** Epoch ms; evaluations at or after it never fire and report `expired`. */
  readonly expiresAt?: number;
};

/** Plain-JSON state of one alert's policy: persist it between evaluations. */
export type FiringState = {
  /** Evaluations seen. */
  readonly bars: number;
  /** Firings so far. */
  readonly firings: number;
  /** `bars` at the last firing, or null. */
  readonly lastFiredBar: number | null;
  /** The condition at the previous evaluation (false before the first). */
  readonly lastValue: boolean;
};

/** The decision for one evaluation. */
export type FiringDecision = {
  readonly fire: boolean;
  readonly state: FiringState;
  /** The policy can never fire again (`once` fired, or expired): the alert may be retired. */
  readonly done: boolean;
  readonly expired: boolean;
};

/** A pure firing policy: `decide(state, value, at)` for each bar-close evaluation, in order. */
export type FiringPolicy = {
  readonly options: Required<Pick<FiringPolicyOptions, 'mode' | 'cooldownBars'>> & {
    readonly expiresAt: number | null;
  };
  initialState(): FiringState;
  decide(state: FiringState, value: boolean, at: number): FiringDecision;
};

const MODES: readonly FiringMode[] = ['once', 'once_per_bar', 'every_time'];

/** Builds the policy; throws SIGNALS_INVALID_PARAMETER for an unknown mode or a bad cooldown/expiry. */
export function firingPolicy(options: FiringPolicyOptions): FiringPolicy {
  const { mode } = options;
  const cooldownBars = options.cooldownBars ?? 0;
  const expiresAt = options.expiresAt ?? null;
  if (!MODES.includes(mode))
    throw new DomainError('SIGNALS_INVALID_PARAMETER', `firing mode must be one of ${MODES.join(', ')}`, {
      name: 'mode',
    });
  if (!Number.isInteger(cooldownBars) || cooldownBars < 0 || cooldownBars > 1_000_000)
    throw new DomainError('SIGNALS_INVALID_PARAMETER', 'cooldownBars must be an integer from 0 to 1000000', {
      name: 'cooldownBars',
      value: cooldownBars,
    });
  if (expiresAt !== null && !Number.isFinite(expiresAt))
    throw new DomainError('SIGNALS_INVALID_PARAMETER', 'expiresAt must be epoch milliseconds', {
      name: 'expiresAt',
    });

  return {
    options: { mode, cooldownBars, expiresAt },
    initialState: () => ({ bars: 0, firings: 0, lastFiredBar: null, lastValue: false }),
    decide(state, value, at) {
      const bars = state.bars + 1;
      const expired = expiresAt !== null && at >= expiresAt;
      const cooling = state.lastFiredBar !== null && bars - state.lastFiredBar <= cooldownBars;
      const wanted =
        mode === 'once' ? state.firings === 0 : mode === 'once_per_bar' ? !state.lastValue : true;
      const fire = value && !expired && !cooling && wanted;
      const next: FiringState = {
        bars,
        firings: state.firings + (fire ? 1 : 0),
        lastFiredBar: fire ? bars : state.lastFiredBar,
        lastValue: value,
      };
      return { fire, state: next, done: expired || (mode === 'once' && next.firings > 0), expired };
    },
  };
}
