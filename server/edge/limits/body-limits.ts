import type { FastifyInstance } from 'fastify';
import { classify } from '../rate-limit/index.js';

/** Request body limits in bytes per kind of route. */
export interface BodyLimits {
  /** Sign-in, setup, password changes. */
  auth: number;
  /** Orders, positions, the kill switch. */
  trading: number;
  /** Everything else (Fastify's instance-wide bodyLimit). */
  default: number;
}

/** 16 KiB for auth, 64 KiB for trading, 256 KiB otherwise. */
export const DEFAULT_BODY_LIMITS: BodyLimits = { auth: 16 * 1024, trading: 64 * 1024, default: 256 * 1024 };

/** The body limit of a route, by the same classes as the rate limiter. */
export function bodyLimitFor(method: string, url: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): number {
  const routeClass = classify(method, url);
  if (routeClass === 'auth') return limits.auth;
  if (routeClass === 'trading') return limits.trading;
  return limits.default;
}

/** Gives every route registered after this call its class's body limit, unless the route sets its own. */
export function applyBodyLimits(app: FastifyInstance, limits: BodyLimits = DEFAULT_BODY_LIMITS): void {
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit !== undefined) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    route.bodyLimit = Math.min(...methods.map((m) => bodyLimitFor(m, route.url, limits)));
  });
}
