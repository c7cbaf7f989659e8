import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { csrfMatches, resolveSession, SESSION_IDLE_MS } from '../../accounts/sessions.js';
import { AppError } from '../../errors.js';
import type { SessionRecord, SessionStore, UserRecord, UserStore } from '../../ports.js';

/** The session cookie's name; HttpOnly, SameSite=Lax, Secure under HTTPS. */
export const SESSION_COOKIE = 'pulse_session';

/** Who is calling, resolved once per request. */
export interface Caller {
  user: UserRecord;
  session: SessionRecord;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller, or null; resolve with `request.caller()`. */
    caller(): Promise<Caller | null>;
  }
}

export interface SessionPluginOptions {
  users: UserStore;
  sessions: SessionStore;
  now: () => Date;
  cookieSecure: 'auto' | 'true' | 'false';
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function sessionPlugin(app: FastifyInstance, options: SessionPluginOptions): Promise<void> {
  const cache = new WeakMap<FastifyRequest, Promise<Caller | null>>();
  app.decorateRequest('caller', function caller(this: FastifyRequest) {
    let pending = cache.get(this);
    if (!pending) {
      const token = this.cookies[SESSION_COOKIE];
      pending = token
        ? resolveSession({ token, now: options.now() }, options).then((r) => r ?? null)
        : Promise.resolve(null);
      cache.set(this, pending);
    }
    return pending;
  });

  // Cookie-authenticated changes must carry the session's CSRF token (double submit via header).
  app.addHook('preHandler', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || !request.cookies[SESSION_COOKIE]) return;
    const caller = await request.caller();
    if (caller && !csrfMatches(caller.session.csrfToken, headerValue(request.headers['x-csrf-token']))) {
      throw new AppError(
        'AUTH_CSRF_FAILED',
        'Missing or wrong x-csrf-token header; reload the page and try again.',
      );
    }
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Installs `request.caller()` and CSRF checking. */
export const sessions = fp(sessionPlugin, { name: 'pulse-sessions', dependencies: ['@fastify/cookie'] });

/** The caller, or a 401 AUTH_REQUIRED. */
export async function requireCaller(request: FastifyRequest): Promise<Caller> {
  const caller = await request.caller();
  if (!caller) throw new AppError('AUTH_REQUIRED', 'Sign in to continue.');
  return caller;
}

/** Sets the session cookie; Secure when the request came over HTTPS (or COOKIE_SECURE=true). */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  cookieSecure: SessionPluginOptions['cookieSecure'],
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: cookieSecure === 'auto' ? request.protocol === 'https' : cookieSecure === 'true',
    maxAge: Math.floor(SESSION_IDLE_MS / 1000),
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
