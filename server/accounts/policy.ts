import type { Role, TokenScope } from '../../contracts/auth.js';

/**
 * What a route asks of its caller, least to most:
 * - `public`: anyone, signed in or not;
 * - `read`: any signed-in user reading their own data (or shared data);
 * - `self`: a user managing their own account security (password, sessions, MFA, tokens);
 * - `write`: changing one's own non-trading data (watchlists);
 * - `trade`: placing, changing or cancelling orders, trading settings;
 * - `admin`: managing other users, the audit log, platform switches;
 * - `owner`: changing roles.
 */
export type Access = 'public' | 'read' | 'self' | 'write' | 'trade' | 'admin' | 'owner';

const ROLE_ACCESS: Readonly<Record<Role, ReadonlySet<Access>>> = {
  owner: new Set(['public', 'read', 'self', 'write', 'trade', 'admin', 'owner']),
  admin: new Set(['public', 'read', 'self', 'write', 'trade', 'admin']),
  trader: new Set(['public', 'read', 'self', 'write', 'trade']),
  viewer: new Set(['public', 'read', 'self']),
};

// A token never does more than its scope, whatever its user's role. Account security (`self`
// changes: password, MFA, minting more tokens) needs the admin scope, so a leaked trading token
// cannot entrench itself.
const SCOPE_ACCESS: Readonly<Record<TokenScope, ReadonlySet<Access>>> = {
  read: new Set(['public', 'read']),
  trade: new Set(['public', 'read', 'write', 'trade']),
  admin: new Set(['public', 'read', 'self', 'write', 'trade', 'admin', 'owner']),
};

/** Whether a role may do what a route of this access asks. */
export function can(role: Role, access: Access): boolean {
  return ROLE_ACCESS[role].has(access);
}

/** Whether an API token of this scope may be used for a route of this access. */
export function scopeAllows(scope: TokenScope, access: Access): boolean {
  return SCOPE_ACCESS[scope].has(access);
}

/** Roles that `role` may grant when creating a user: admins may not mint owners. */
export function grantableRoles(role: Role): readonly Role[] {
  if (role === 'owner') return ['owner', 'admin', 'trader', 'viewer'];
  if (role === 'admin') return ['admin', 'trader', 'viewer'];
  return [];
}

// Routes anyone may call. Market data stays public as it was before roles existed (the web app's
// charts load before sign-in); the stream authenticates its own sockets.
const PUBLIC_ROUTES = new Set([
  'GET /api/v1/setup',
  'POST /api/v1/setup/owner',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/mfa/verify',
  'GET /api/v1/stream',
  'GET /api/v1/bars',
  'GET /api/v1/snapshots',
  'GET /api/v1/assets',
  'GET /api/v1/assets/:symbol',
  'GET /api/v1/clock',
  'GET /api/v1/calendar',
  'POST /api/v1/csp-report',
  'GET /api/v1/status',
  'POST /api/v1/intake/vitals',
  'POST /api/v1/intake/errors',
  'GET /api/v1/challenge',
  'POST /api/v1/challenge',
]);

const TRADING = /^\/api\/v1\/(orders|positions|account)(\/|:|$)/;

/**
 * The access a route needs when it does not declare `config.access`. Deny by default: any new
 * `/api/` route needs a signed-in caller (reads) or a writer (changes) until it says otherwise.
 */
export function defaultAccess(method: string, url: string): Access {
  if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return 'public';
  if (PUBLIC_ROUTES.has(`${method} ${url}`)) return 'public';
  if (url.startsWith('/api/v1/admin/')) return 'admin';
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (TRADING.test(url)) return 'trade';
  return 'write';
}
