import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { resolveApiToken } from '../../accounts/api-tokens.js';
import { type Access, can, defaultAccess, scopeAllows } from '../../accounts/policy.js';
import { csrfMatches, resolveSession, SESSION_ABSOLUTE_MS } from '../../accounts/sessions.js';
import { AppError } from '../../errors.js';
import type {
  ApiTokenRecord,
  SessionRecord,
  SessionStore,
  UserRecord,
  UserStore,
  ApiTokenStore,
} from '../../ports.js';

/** The session cookie's name; HttpOnly, SameSite=Lax, Secure under HTTPS. */
export const SESSION_COOKIE = 'pulse_session';

/** Who is calling, resolved once per request: through a session cookie or an API token. */
export type Caller =
  | { user: UserRecord; session: SessionRecord; token: null }
  | { user: UserRecord; session: null; token: ApiTokenRecord };

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller, or null; resolve with `request.caller()`. */
    caller(): Promise<Caller | null>;
  }
  interface FastifyContextConfig {
    /** What the route asks of its caller (see accounts/policy.ts); derived from method and URL when omitted. */
    access?: Access;
  }
}

export interface SessionPluginOptions {
  users: UserStore;
  sessions: SessionStore;
  apiTokens: ApiTokenStore;
  now: () => Date;
  cookieSecure: 'auto' | 'true' | 'false';
  /** Whether everyone must have MFA on; callers without it may only enrol, read /me and sign out. */
  mfaRequired?: () => Promise<boolean>;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// What a user without MFA may still do when an admin requires it: enrol, look at /me, sign out.
const MFA_ENROLMENT_ROUTES = new Set([
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/mfa/totp',
  'POST /api/v1/auth/mfa/totp/confirm',
]);

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

/** The access a request's route asks for: its `config.access`, or the policy's default. */
export function accessOf(request: FastifyRequest): Access {
  const { config, url, method } = request.routeOptions;
  if (url === undefined) return 'public';
  return config.access ?? defaultAccess(Array.isArray(method) ? (method[0] ?? 'GET') : method, url);
}

async function sessionPlugin(app: FastifyInstance, options: SessionPluginOptions): Promise<void> {
  const cache = new WeakMap<FastifyRequest, Promise<Caller | null>>();
  app.decorateRequest('caller', function caller(this: FastifyRequest) {
    let pending = cache.get(this);
    if (!pending) {
      pending = resolveCaller(this, options);
      cache.set(this, pending);
    }
    return pending;
  });

  // Every route is authorised here, before its body is read: deny by default (see policy.ts).
  app.addHook('onRequest', async (request) => {
    const access = accessOf(request);
    if (access === 'public') return;
    const caller = await request.caller();
    if (!caller) throw new AppError('AUTH_REQUIRED', 'Sign in to continue.');
    if (!can(caller.user.role, access))
      throw new AppError('AUTH_FORBIDDEN', `Your role (${caller.user.role}) may not do this.`);
    if (caller.token && !scopeAllows(caller.token.scope, access))
      throw new AppError(
        'AUTH_TOKEN_SCOPE',
        `This API token's scope (${caller.token.scope}) does not allow this.`,
      );
    if (
      caller.session &&
      !caller.user.mfaEnabled &&
      !MFA_ENROLMENT_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`) &&
      (await options.mfaRequired?.())
    )
      throw new AppError(
        'AUTH_MFA_ENROLMENT_REQUIRED',
        'Two-factor authentication is required: enrol TOTP first.',
      );
  });

  // Cookie-authenticated changes must carry the session's CSRF token (double submit via header).
  // API tokens travel in a header a cross-site page cannot set, so they need none.
  app.addHook('preHandler', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || !request.cookies[SESSION_COOKIE]) return;
    const caller = await request.caller();
    if (
      caller?.session &&
      !csrfMatches(caller.session.csrfToken, headerValue(request.headers['x-csrf-token']))
    ) {
      throw new AppError(
        'AUTH_CSRF_FAILED',
        'Missing or wrong x-csrf-token header; reload the page and try again.',
      );
    }
  });
}

async function resolveCaller(request: FastifyRequest, options: SessionPluginOptions): Promise<Caller | null> {
  const bearer = bearerToken(request);
  // A presented bearer token decides alone: a bad one never falls back to the cookie.
  if (bearer !== undefined) {
    const found = await resolveApiToken({ token: bearer, now: options.now() }, options);
    return found ? { user: found.user, session: null, token: found.token } : null;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const found = await resolveSession({ token: cookie, now: options.now() }, options);
  return found ? { user: found.user, session: found.session, token: null } : null;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Installs `request.caller()`, route authorisation (roles, token scopes, required MFA) and CSRF checking. */
export const sessions = fp(sessionPlugin, { name: 'pulse-sessions', dependencies: ['@fastify/cookie'] });

/** The caller, or a 401 AUTH_REQUIRED. */
export async function requireCaller(request: FastifyRequest): Promise<Caller> {
  const caller = await request.caller();
  if (!caller) throw new AppError('AUTH_REQUIRED', 'Sign in to continue.');
  return caller;
}

/** The caller signed in with a session cookie (not an API token), or 401/403. */
export async function requireSession(request: FastifyRequest): Promise<Caller & { session: SessionRecord }> {
  const caller = await requireCaller(request);
  if (!caller.session)
    throw new AppError('AUTH_FORBIDDEN', 'This needs a browser session, not an API token.');
  return caller;
}

/**
 * Sets the session cookie; Secure when the request came over HTTPS (or COOKIE_SECURE=true).
 * "Remember me" makes it last the session's absolute lifetime; otherwise it ends with the browser.
 */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  cookieSecure: SessionPluginOptions['cookieSecure'],
  persistent = true,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: cookieSecure === 'auto' ? request.protocol === 'https' : cookieSecure === 'true',
    ...(persistent && { maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000) }),
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
