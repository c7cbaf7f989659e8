import type { PrivacyStore, RetentionCutoffs } from './privacy-store.js';

/** How many days each kind of record is kept (RETENTION_* variables). */
export interface RetentionPolicy {
  /** Days an expired session (and an expired sign-in challenge) is kept; 0 deletes at expiry. */
  sessionsDays: number;
  /** Days finished notification deliveries (the delivery log) are kept. */
  deliveriesDays: number;
  /** Days web-vitals samples are kept. */
  vitalsDays: number;
  /** Days a client error group is kept after it was last seen. */
  errorsDays: number;
  /** Days raw monitor check results are kept (hourly rollups are the monitors' own business). */
  monitorDays: number;
}

/** The defaults, also documented in the README. */
export const DEFAULT_RETENTION: RetentionPolicy = {
  sessionsDays: 0,
  deliveriesDays: 90,
  vitalsDays: 30,
  errorsDays: 90,
  monitorDays: 30,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The cut-off dates of a policy at `now`. */
export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    sessionsExpiredBefore: before(policy.sessionsDays),
    deliveriesBefore: before(policy.deliveriesDays),
    vitalsBefore: before(policy.vitalsDays),
    errorsBefore: before(policy.errorsDays),
    monitorResultsBefore: before(policy.monitorDays),
  };
}

/**
 * Deletes what is past its retention, `batch` rows per table per statement and at most `maxBatches`
 * statements per table per run, so one run is bounded however large the backlog. The audit log is
 * never pruned: deleting hashed rows would break the chain (docs/decisions/0004).
 */
export async function enforceRetention(
  input: { policy: RetentionPolicy; now: Date; batch?: number; maxBatches?: number },
  deps: { privacy: PrivacyStore },
): Promise<Record<string, number>> {
  const batch = input.batch ?? 5_000;
  const cutoffs = retentionCutoffs(input.policy, input.now);
  const totals: Record<string, number> = {};
  for (let round = 0; round < (input.maxBatches ?? 20); round++) {
    const counts = await deps.privacy.prune(cutoffs, batch);
    for (const [table, n] of Object.entries(counts)) totals[table] = (totals[table] ?? 0) + n;
    if (Object.values(counts).every((n) => n < batch)) break;
  }
  return totals;
}
