import crypto from 'node:crypto';
import type { SessionRecord, SessionStore, UserRecord, UserStore } from '../ports.js';

/** Idle timeout: a session unused this long ends. */
export const SESSION_IDLE_MS = 24 * 3_600_000;
/** Absolute timeout: no session lives longer than this, however active. */
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3_600_000;
// Writing last_seen on every request would turn reads into writes; a minute's precision is enough.
const TOUCH_EVERY_MS = 60_000;

/** SHA-256 of a session token, the only form in which it is stored. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url');
}

/** Absolute timeout of a browser-session ("remember me" off) session. */
export const SESSION_BROWSER_ABSOLUTE_MS = 24 * 3_600_000;

/** When a session ends at the latest, whatever its activity. */
export function absoluteEnd(session: Pick<SessionRecord, 'createdAt' | 'persistent'>): number {
  return (
    session.createdAt.getTime() + (session.persistent ? SESSION_ABSOLUTE_MS : SESSION_BROWSER_ABSOLUTE_MS)
  );
}

/** A new session: the raw token goes in the cookie, its hash in the store. */
export async function startSession(
  input: { userId: string; userAgent: string | null; ip: string | null; now: Date; remember?: boolean },
  deps: { sessions: SessionStore },
): Promise<{ token: string; session: SessionRecord }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const session: SessionRecord = {
    tokenHash: hashToken(token),
    userId: input.userId,
    csrfToken: crypto.randomBytes(24).toString('base64url'),
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    ip: input.ip,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + SESSION_IDLE_MS),
    id: crypto.randomUUID(),
    persistent: input.remember ?? true,
  };
  await deps.sessions.create(session);
  return { token, session };
}

/** The session and user behind a cookie token, or undefined when unknown, idle or too old. */
export async function resolveSession(
  input: { token: string; now: Date },
  deps: { sessions: SessionStore; users: UserStore },
): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
  const tokenHash = hashToken(input.token);
  const session = await deps.sessions.find(tokenHash);
  if (!session) return undefined;
  const now = input.now.getTime();
  const end = absoluteEnd(session);
  if (session.expiresAt.getTime() <= now || end <= now) {
    await deps.sessions.delete(tokenHash);
    return undefined;
  }
  const user = await deps.users.findById(session.userId);
  if (!user) return undefined;
  if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    const expiresAt = new Date(Math.min(now + SESSION_IDLE_MS, end));
    await deps.sessions.touch(tokenHash, input.now, expiresAt);
    session.lastSeenAt = input.now;
    session.expiresAt = expiresAt;
  }
  return { session, user };
}

/** Compares a presented CSRF token with the session's in constant time. */
export function csrfMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
