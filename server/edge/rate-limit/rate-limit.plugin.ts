import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '../../../contracts/errors.js';
import { classify, DEFAULT_RULES, type RouteClass } from './route-classes.js';
import type { RateLimitStore } from './stores.js';
import type { BucketDecision, BucketRule } from './token-bucket.js';

/** Options of the rate limiter. */
export interface RateLimitOptions {
  store: RateLimitStore;
  rules?: Partial<Record<RouteClass | 'ip', BucketRule>>;
  now?: () => number;
}

/** Counters for /metrics. */
export interface RateLimitMonitor {
  readonly counters: { checked: number; limited: number; byClass: Record<string, number> };
  readonly store: 'memory' | 'redis';
}

declare module 'fastify' {
  interface FastifyInstance {
    rateLimit: RateLimitMonitor;
  }
}

/** Who the caller is, without touching the database: a hash of the session cookie or bearer token. */
function callerKey(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  const cookie = request.headers.cookie?.match(/(?:^|;\s*)pulse_session=([^;]+)/)?.[1];
  const secret = auth?.startsWith('Bearer ') ? auth.slice(7) : cookie;
  if (!secret) return `ip:${request.ip}`;
  return `c:${crypto.createHash('sha256').update(secret).digest('base64url').slice(0, 22)}`;
}

function headers(reply: FastifyReply, rule: BucketRule, decision: BucketDecision): void {
  reply.header('RateLimit-Limit', rule.capacity);
  reply.header('RateLimit-Remaining', Math.max(0, decision.remaining));
  reply.header('RateLimit-Reset', Math.ceil(decision.resetMs / 1000));
}

async function plugin(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const rules = { ...DEFAULT_RULES, ...options.rules };
  const now = options.now ?? Date.now;
  const monitor: RateLimitMonitor = {
    counters: { checked: 0, limited: 0, byClass: {} },
    store: options.store.kind,
  };
  app.decorate('rateLimit', monitor);

  app.addHook('onRequest', async (request, reply) => {
    const routeClass = classify(request.method, request.url);
    if (routeClass === undefined) return;
    monitor.counters.checked += 1;
    const at = now();
    const ipDecision = await options.store.take(`ip:${request.ip}`, rules.ip, at);
    const rule = rules[routeClass];
    const decision = ipDecision.allowed
      ? await options.store.take(`${routeClass}:${callerKey(request)}`, rule, at)
      : ipDecision;
    headers(reply, ipDecision.allowed ? rule : rules.ip, decision);
    if (decision.allowed) return;
    monitor.counters.limited += 1;
    monitor.counters.byClass[routeClass] = (monitor.counters.byClass[routeClass] ?? 0) + 1;
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    reply.header('Retry-After', retryAfter);
    const body: ErrorBody = {
      code: 'EDGE_RATE_LIMITED',
      message: `Too many requests; retry in ${retryAfter} s.`,
      requestId: request.id,
    };
    return reply.code(429).send(body);
  });
}

/** Token-bucket rate limits per IP and per caller and route class, with RateLimit-* headers. */
export const rateLimitPlugin = fp(plugin, { name: 'pulse-rate-limit', fastify: '5.x' });
