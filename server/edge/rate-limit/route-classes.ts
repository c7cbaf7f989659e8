import type { BucketRule } from './token-bucket.js';

/** The kinds of traffic that get separate budgets. */
export type RouteClass = 'auth' | 'trading' | 'market' | 'api' | 'web';

/** Budgets per class, per caller (a session, a token, or an IP when anonymous). */
export const DEFAULT_RULES: Readonly<Record<RouteClass | 'ip', BucketRule>> = {
  // Sign-in, MFA and first-run setup: a burst of 20, then one every 3 s per IP (offices share an IP;
  // per-account throttling in server/accounts stops guessing at one account).
  auth: { capacity: 20, refillPerSecond: 1 / 3 },
  trading: { capacity: 50, refillPerSecond: 10 },
  market: { capacity: 300, refillPerSecond: 50 },
  api: { capacity: 300, refillPerSecond: 100 },
  web: { capacity: 600, refillPerSecond: 200 },
  // Every request from one IP, whatever its class and session: the ceiling for floods.
  ip: { capacity: 1_200, refillPerSecond: 400 },
};

const AUTH =
  /^\/api\/v1\/(auth\/(login|password|reset|mfa|register|passkeys\/sign-in)|setup\/owner)(\/|$|\?)/;
const TRADING = /^\/api\/v1\/(orders|positions|admin\/kill-switch)(\/|:|$|\?)/;
const MARKET = /^\/api\/v1\/(bars|assets|snapshots|clock|calendar|stream)(\/|$|\?)/;
const EXEMPT = /^\/(healthz|readyz)(\?|$)/;

/** Which budget a request draws from; undefined for health checks (never limited). */
export function classify(method: string, url: string): RouteClass | undefined {
  if (EXEMPT.test(url)) return undefined;
  if (method !== 'GET' && AUTH.test(url)) return 'auth';
  if (method !== 'GET' && TRADING.test(url)) return 'trading';
  if (MARKET.test(url)) return 'market';
  if (url.startsWith('/api/')) return 'api';
  return 'web';
}
