export { classify, DEFAULT_RULES, type RouteClass } from './route-classes.js';
export { type RateLimitMonitor, type RateLimitOptions, rateLimitPlugin } from './rate-limit.plugin.js';
export { MemoryRateLimitStore, type RateLimitStore } from './stores.js';
export { type BucketDecision, type BucketRule, type BucketState, takeTokens } from './token-bucket.js';
