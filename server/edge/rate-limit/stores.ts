import { type BucketDecision, type BucketRule, type BucketState, takeTokens } from './token-bucket.js';

/** Where buckets live: this process, or Redis (server/adapters/redis) so every node shares one budget. */
export interface RateLimitStore {
  take(key: string, rule: BucketRule, now: number, cost?: number): Promise<BucketDecision>;
  readonly kind: 'memory' | 'redis';
}

/**
 * Buckets in process memory, bounded by two generations: a bucket used in the current or the previous generation is
 * kept, one idle for a whole generation is forgotten (at most `maxKeys` buckets in all). A request costs a lookup and
 * a store, with no reordering.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory' as const;
  private young = new Map<string, BucketState>();
  private old = new Map<string, BucketState>();
  private readonly generation: number;
  constructor(maxKeys = 100_000) {
    this.generation = Math.max(1, Math.floor(maxKeys / 2));
  }
  async take(key: string, rule: BucketRule, now: number, cost = 1): Promise<BucketDecision> {
    return this.takeSync(key, rule, now, cost);
  }
  /** The same, synchronously (the plugin's fast path, and the Redis store's fallback when Redis is slow). */
  takeSync(key: string, rule: BucketRule, now: number, cost = 1): BucketDecision {
    const previous = this.young.get(key) ?? this.old.get(key);
    const decision = takeTokens(previous, rule, now, cost);
    if (!this.young.has(key) && this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, decision.state);
    return decision;
  }
  /** How many buckets are held (both generations; a key in both counts twice). */
  get size(): number {
    return this.young.size + this.old.size;
  }
}
