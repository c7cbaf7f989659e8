import { type BucketDecision, type BucketRule, type BucketState, takeTokensInPlace } from './token-bucket.js';

/** Where buckets live: this process, or Redis (server/adapters/redis) so every node shares one budget. */
export interface RateLimitStore {
  take(key: string, rule: BucketRule, now: number, cost?: number): Promise<BucketDecision>;
  readonly kind: 'memory' | 'redis';
}

/**
 * Buckets in process memory, bounded by two generations: a bucket used in the current or the previous generation is
 * kept, one idle for a whole generation is forgotten (at most `maxKeys` buckets in all). A request costs one lookup
 * (two when its bucket is in the old generation) and updates the bucket where it lies: no store, no new state.
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
  /** The same, synchronously (the Redis store's fallback when Redis is slow). */
  takeSync(key: string, rule: BucketRule, now: number, cost = 1): BucketDecision {
    return takeTokensInPlace(this.bucket(key, rule, now), rule, now, cost);
  }
  /**
   * The bucket of `key`, a full one made at `now` if it has none, for the caller to take from where it lies
   * (tryTakeInPlace): the plugin's fast path, which builds no decision for a request far from its limit.
   */
  bucket(key: string, rule: BucketRule, now: number): BucketState {
    let state = this.young.get(key);
    if (state === undefined) {
      const previous = this.old.get(key);
      if (this.young.size >= this.generation) {
        this.old = this.young;
        this.young = new Map();
      }
      state = previous === undefined ? { tokens: rule.capacity, at: now } : { ...previous };
      this.young.set(key, state);
    }
    return state;
  }
  /** How many buckets are held (both generations; a key in both counts twice). */
  get size(): number {
    return this.young.size + this.old.size;
  }
}
