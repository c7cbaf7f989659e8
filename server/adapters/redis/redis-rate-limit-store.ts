import type { Redis } from 'ioredis';
import { MemoryRateLimitStore, type RateLimitStore } from '../../edge/rate-limit/stores.js';
import type { BucketDecision, BucketRule } from '../../edge/rate-limit/token-bucket.js';

// One round trip, atomic: read the bucket, refill, take, write back with an expiry.
const TAKE_SCRIPT = `
local data = redis.call('HMGET', KEYS[1], 't', 'a')
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local tokens = capacity
if data[1] then
  local elapsed = math.max(0, now - tonumber(data[2]))
  tokens = math.min(capacity, tonumber(data[1]) + elapsed / 1000 * rate)
end
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
`;

/** Buckets in Redis (REDIS_URL), shared by every node; falls back to memory if Redis is slow or down. */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis' as const;
  readonly stats = { fallbacks: 0 };
  private readonly fallback = new MemoryRateLimitStore();

  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix?: string; timeoutMs?: number } = {},
  ) {
    redis.defineCommand('pulseTakeTokens', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  }

  async take(key: string, rule: BucketRule, now: number, cost = 1): Promise<BucketDecision> {
    const command = (
      this.redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, string]>>
    ).pulseTakeTokens;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await Promise.race([
        command!.call(
          this.redis,
          `${this.options.prefix ?? 'pulse:rl:'}${key}`,
          rule.capacity,
          rule.refillPerSecond,
          now,
          cost,
        ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('redis timeout')), this.options.timeoutMs ?? 100);
        }),
      ]);
      const tokens = Number(reply[1]);
      const perToken = 1000 / rule.refillPerSecond;
      const allowed = reply[0] === 1;
      return {
        allowed,
        remaining: Math.floor(tokens),
        resetMs: Math.ceil((rule.capacity - tokens) * perToken),
        retryAfterMs: allowed ? 0 : Math.ceil((cost - tokens) * perToken),
        state: { tokens, at: now },
      };
    } catch {
      // Losing the shared budget for a moment beats refusing every request: count it and go local.
      this.stats.fallbacks += 1;
      return this.fallback.takeSync(key, rule, now, cost);
    } finally {
      clearTimeout(timer);
    }
  }
}
