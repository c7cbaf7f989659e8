import { type BucketDecision, type BucketRule, type BucketState, takeTokens } from './token-bucket.js';

/** Where buckets live: this process, or Redis (server/adapters/redis) so every node shares one budget. */
export interface RateLimitStore {
  take(key: string, rule: BucketRule, now: number, cost?: number): Promise<BucketDecision>;
  readonly kind: 'memory' | 'redis';
}

/** Buckets in process memory, bounded: the least recently used keys are forgotten first. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory' as const;
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly maxKeys = 100_000) {}

  async take(key: string, rule: BucketRule, now: number, cost = 1): Promise<BucketDecision> {
    return this.takeSync(key, rule, now, cost);
  }

  /** The same, synchronously (the plugin's fallback when Redis is slow). */
  takeSync(key: string, rule: BucketRule, now: number, cost = 1): BucketDecision {
    const previous = this.buckets.get(key);
    const decision = takeTokens(previous, rule, now, cost);
    this.buckets.delete(key);
    this.buckets.set(key, decision.state);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return decision;
  }
}
