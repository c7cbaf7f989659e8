import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/index.js';
import { type FiringPolicyOptions, type FiringState, firingPolicy } from './firing-policy.js';

/** Runs the policy over bar-close evaluations (time = index) and returns which fired. */
function fires(options: FiringPolicyOptions, values: readonly boolean[]): boolean[] {
  const policy = firingPolicy(options);
  let state = policy.initialState();
  return values.map((value, at) => {
    const d = policy.decide(state, value, at);
    state = d.state;
    return d.fire;
  });
}

const T = true;
const F = false;
const WAVE = [F, T, T, F, T, T, T, F, F, T];

describe('firingPolicy', () => {
  it('fires once ever in once mode, then reports done', () => {
    expect(fires({ mode: 'once' }, WAVE)).toEqual([F, T, F, F, F, F, F, F, F, F]);
    const policy = firingPolicy({ mode: 'once' });
    const d = policy.decide(policy.initialState(), true, 0);
    expect(d).toMatchObject({ fire: true, done: true, expired: false });
  });

  it('fires on each rising edge in once_per_bar mode', () => {
    expect(fires({ mode: 'once_per_bar' }, WAVE)).toEqual([F, T, F, F, T, F, F, F, F, T]);
    expect(fires({ mode: 'once_per_bar' }, [T, T])).toEqual([T, F]);
  });

  it('fires on every true bar in every_time mode', () => {
    expect(fires({ mode: 'every_time' }, WAVE)).toEqual(WAVE);
  });

  it('holds off for cooldownBars evaluations after a firing', () => {
    expect(fires({ mode: 'every_time', cooldownBars: 2 }, WAVE)).toEqual([F, T, F, F, T, F, F, F, F, T]);
    expect(fires({ mode: 'every_time', cooldownBars: 1 }, [T, T, T, T])).toEqual([T, F, T, F]);
    // The edge at bar 4 falls inside the cooldown and is dropped, not deferred.
    expect(fires({ mode: 'once_per_bar', cooldownBars: 3 }, WAVE)).toEqual([F, T, F, F, F, F, F, F, F, T]);
  });

  it('never fires at or after expiresAt and says so', () => {
    expect(fires({ mode: 'every_time', expiresAt: 5 }, WAVE)).toEqual([F, T, T, F, T, F, F, F, F, F]);
    const policy = firingPolicy({ mode: 'every_time', expiresAt: 5 });
    expect(policy.decide(policy.initialState(), true, 5)).toMatchObject({
      fire: false,
      done: true,
      expired: true,
    });
  });

  it('keeps its state as plain JSON, so a persisted and restored state decides the same', () => {
    const policy = firingPolicy({ mode: 'once_per_bar', cooldownBars: 1 });
    let live: FiringState = policy.initialState();
    let restored: FiringState = policy.initialState();
    for (const [at, value] of WAVE.entries()) {
      const a = policy.decide(live, value, at);
      const b = policy.decide(JSON.parse(JSON.stringify(restored)) as FiringState, value, at);
      expect(b).toEqual(a);
      live = a.state;
      restored = b.state;
    }
    expect(live).toEqual({ bars: 10, firings: 3, lastFiredBar: 10, lastValue: true });
  });

  it('refuses unknown modes and bad cooldowns or expiries', () => {
    expect(() => firingPolicy({ mode: 'always' as 'once' })).toThrow(DomainError);
    expect(() => firingPolicy({ mode: 'once', cooldownBars: -1 })).toThrow(/cooldownBars/);
    expect(() => firingPolicy({ mode: 'once', cooldownBars: 1.5 })).toThrow(/cooldownBars/);
    expect(() => firingPolicy({ mode: 'once', expiresAt: Number.NaN })).toThrow(/expiresAt/);
  });
});
