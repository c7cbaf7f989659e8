import type { UsageDay, UsageMetric } from '../../../contracts/ops.js';

/** Business counts read from the database. */
export interface BusinessCounts {
  users: number;
  activeUsers: { '24h': number; '7d': number; '30d': number };
  /** Per UTC day since `since` (only days with activity). */
  days: UsageDay[];
}

/** A budget an admin set (a row of ops_usage_budgets). */
export interface StoredBudget {
  metric: UsageMetric;
  /** Null: turned off (even where the configuration gives a default). */
  limit: number | null;
  warnAt: number;
}

/** What usage tracking reads from the database, and where budgets are kept. */
export interface UsageStore {
  business(now: Date, since: Date): Promise<BusinessCounts>;
  /** Bytes per table of the app's schema (data, indexes and TOAST). */
  tableSizes(): Promise<Array<{ table: string; bytes: number }>>;
  budgets(): Promise<StoredBudget[]>;
  putBudgets(budgets: readonly StoredBudget[], at: Date): Promise<void>;
}
