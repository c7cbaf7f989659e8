import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '../../../contracts/errors.js';
import { boundedMemo } from '../memo.js';
import { addEdgeScreen } from '../screens.js';
import { classify, DEFAULT_RULES, type RouteClass } from './route-classes.js';
import { MemoryRateLimitStore, type RateLimitStore } from './stores.js';
import { type BucketDecision, type BucketRule, decisionAfter, tryTakeInPlace } from './token-bucket.js';

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

const SESSION_COOKIE = /(?:^|;\s*)pulse_session=([^;]+)/;
/** Distinct anonymous callers (IPs) whose bucket keys are remembered; the memo starts over when full. */
const MAX_CALLERS = 4_096;
/** Distinct request URLs whose route class is remembered; the memo starts over when full. */
const MAX_URLS = 4_096;

/** A caller's bucket key per route class, made on first use. */
type ClassKeys = Partial<Record<RouteClass, string>>;

/** What a connection's last request said of its caller: the headers it was read from, and the hashed caller. */
interface ConnectionCaller {
  authorization: string | undefined;
  cookie: string | undefined;
  /** `c:<hash of the secret>`, or null for an anonymous caller (bucketed by IP). */
  caller: string | null;
  keys: ClassKeys;
}

/** The caller's secret: the bearer token, else the session cookie's value. */
function secretOf(authorization: string | undefined, cookie: string | undefined): string | undefined {
  return authorization?.startsWith('Bearer ') ? authorization.slice(7) : cookie?.match(SESSION_COOKIE)?.[1];
}

/**
 * Who the caller is, without touching the database: a hash of the session cookie or bearer token (never the secret
 * itself, which may end up in Redis), or the IP when anonymous. A connection carries one client's requests, so the
 * caller is worked out once per connection and its bucket keys (`<class>:c:<hash>`) are made once: while the
 * `Authorization` and `Cookie` headers are the ones the connection's last request sent, a request compares two
 * strings and builds nothing, and no map of secrets outlives the connections that sent them. An anonymous caller is
 * keyed by each request's IP (behind a trusted proxy, one connection carries many clients).
 */
function callerBuckets(): (request: FastifyRequest, ip: string, routeClass: RouteClass) => string {
  const byConnection = new WeakMap<object, ConnectionCaller>();
  const byIp = boundedMemo<ClassKeys>(MAX_CALLERS, () => ({}));
  return (request, ip, routeClass) => {
    const { authorization, cookie } = request.headers;
    const connection: object | undefined = request.raw.socket ?? undefined;
    let known = connection === undefined ? undefined : byConnection.get(connection);
    if (known === undefined || known.authorization !== authorization || known.cookie !== cookie) {
      const secret = secretOf(authorization, cookie);
      known = {
        authorization,
        cookie,
        caller: secret ? `c:${crypto.hash('sha256', secret, 'base64url').slice(0, 22)}` : null,
        keys: {},
      };
      if (connection !== undefined) byConnection.set(connection, known);
    }
    if (known.caller === null) {
      const keys = byIp(ip);
      return (keys[routeClass] ??= `${routeClass}:ip:${ip}`);
    }
    return (known.keys[routeClass] ??= `${routeClass}:${known.caller}`);
  };
}

/**
 * The rate-limit fields of draft-ietf-httpapi-ratelimit-headers: `RateLimit`
 * (`"<policy>";r=<requests left>;t=<seconds until the bucket is full>`), one field rather than three because
 * each response field costs Node a validation pass; a 429 adds `RateLimit-Policy` (`q` the burst, `w` the
 * seconds a drained bucket takes to refill). `RateLimit` is sent once a caller has half of the budget's burst
 * left or less, and on every refusal: far from its limit it tells a client nothing to act on, and each field
 * costs every response a few µs. The draft allows this ("Performance Considerations": servers are not required
 * to send the fields on every response, and may send them only when a quota is about to run out).
 */
function fields(rules: Readonly<Record<RouteClass | 'ip', BucketRule>>) {
  const names = Object.keys(rules) as (RouteClass | 'ip')[];
  const prefixes = new Map(names.map((name) => [name, `"${name}";r=`]));
  const halfBursts = new Map(names.map((name) => [name, rules[name].capacity / 2]));
  const policies = new Map(
    names.map((name) => {
      const { capacity, refillPerSecond } = rules[name];
      return [name, `"${name}";q=${capacity};w=${Math.ceil(capacity / refillPerSecond)}`];
    }),
  );
  /** True when a request the bucket let through left it with more than half its burst: no field to send. */
  const quiet = (policy: RouteClass | 'ip', tokens: number): boolean =>
    Math.floor(tokens) > (halfBursts.get(policy) ?? 0);
  return {
    quiet,
    /** Sends `RateLimit` unless the request was let through {@link quiet}ly. */
    state(reply: FastifyReply, policy: RouteClass | 'ip', decision: BucketDecision): void {
      if (decision.allowed && quiet(policy, decision.remaining)) return;
      reply.header(
        'ratelimit',
        `${prefixes.get(policy)}${Math.max(0, decision.remaining)};t=${Math.ceil(decision.resetMs / 1000)}`,
      );
    },
    policy(reply: FastifyReply, policy: RouteClass | 'ip'): void {
      reply.header('ratelimit-policy', policies.get(policy));
    },
  };
}

async function plugin(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const rules = { ...DEFAULT_RULES, ...options.rules };
  const now = options.now ?? Date.now;
  const monitor: RateLimitMonitor = {
    counters: { checked: 0, limited: 0, byClass: {} },
    store: options.store.kind,
  };
  app.decorate('rateLimit', monitor);

  const limits = fields(rules);
  const refuse = (
    request: FastifyRequest,
    reply: FastifyReply,
    routeClass: RouteClass,
    policy: RouteClass | 'ip',
    decision: BucketDecision,
  ) => {
    monitor.counters.limited += 1;
    monitor.counters.byClass[routeClass] = (monitor.counters.byClass[routeClass] ?? 0) + 1;
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    reply.header('Retry-After', retryAfter);
    limits.policy(reply, policy);
    const body: ErrorBody = {
      code: 'EDGE_RATE_LIMITED',
      message: `Too many requests; retry in ${retryAfter} s.`,
      requestId: request.id,
    };
    return reply.code(429).send(body);
  };

  const store = options.store;
  const bucketOf = callerBuckets();
  const ipBucketOf = boundedMemo(MAX_CALLERS, (ip) => `ip:${ip}`);
  // A client asks for the same URLs again and again: each one's class is worked out once (by URL, and by method too
  // for the methods whose class depends on it), not with up to four regular expressions per request.
  const byMethod = new Map<string, (url: string) => RouteClass | 'exempt'>();
  const classOfRequest = ({ method, url }: FastifyRequest): RouteClass | undefined => {
    let classOf = byMethod.get(method);
    if (classOf === undefined)
      byMethod.set(method, (classOf = boundedMemo(MAX_URLS, (path) => classify(method, path) ?? 'exempt')));
    const routeClass = classOf(url);
    return routeClass === 'exempt' ? undefined : routeClass;
  };
  if (store instanceof MemoryRateLimitStore) {
    // In-process buckets answer synchronously: a screen of the edge's one hook, no promise per request. A request
    // far from its limits takes from its buckets where they lie and builds nothing (no decision, no field).
    addEdgeScreen(app, (request, reply) => {
      const routeClass = classOfRequest(request);
      if (routeClass === undefined) return false;
      monitor.counters.checked += 1;
      const at = now();
      const ip = request.ip;
      // The per-IP ceiling first, then the caller's budget for the route class.
      const ipState = store.bucket(ipBucketOf(ip), rules.ip, at);
      const ipAllowed = tryTakeInPlace(ipState, rules.ip, at);
      let decision: BucketDecision;
      if (ipAllowed) {
        const rule = rules[routeClass];
        const state = store.bucket(bucketOf(request, ip, routeClass), rule, at);
        const allowed = tryTakeInPlace(state, rule, at);
        if (allowed && limits.quiet(routeClass, state.tokens)) return false;
        decision = decisionAfter(state, rule, allowed);
      } else decision = decisionAfter(ipState, rules.ip, false);
      const policy = ipAllowed ? routeClass : 'ip';
      limits.state(reply, policy, decision);
      if (decision.allowed) return false;
      void refuse(request, reply, routeClass, policy, decision);
      return true;
    });
    return;
  }
  // A shared store answers over the network: this screen waits for it, in its place among the edge's checks.
  addEdgeScreen(app, async (request, reply) => {
    const routeClass = classOfRequest(request);
    if (routeClass === undefined) return false;
    monitor.counters.checked += 1;
    const at = now();
    const ip = request.ip;
    const ipDecision = await store.take(ipBucketOf(ip), rules.ip, at);
    const decision = ipDecision.allowed
      ? await store.take(bucketOf(request, ip, routeClass), rules[routeClass], at)
      : ipDecision;
    const policy = ipDecision.allowed ? routeClass : 'ip';
    limits.state(reply, policy, decision);
    if (decision.allowed) return false;
    void refuse(request, reply, routeClass, policy, decision);
    return true;
  });
}

/** Token-bucket rate limits per IP and per caller and route class, with the RateLimit fields. */
export const rateLimitPlugin = fp(plugin, { name: 'pulse-rate-limit', fastify: '5.x' });
