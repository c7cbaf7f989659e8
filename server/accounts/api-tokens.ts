import crypto from 'node:crypto';
import type { TokenScope } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
import type { ApiTokenRecord, ApiTokenStore, AuditLog, UserRecord, UserStore } from '../ports.js';
import { hashToken } from './sessions.js';

/** Every API token starts with this, so secret scanners and log filters can spot one. */
export const TOKEN_PREFIX = 'pulse_';
/** Tokens expire after this many days unless told otherwise. */
export const DEFAULT_TOKEN_DAYS = 90;
const DAY_MS = 86_400_000;
// A minute's precision for last-used is enough, and keeps reads from turning into writes.
const TOUCH_EVERY_MS = 60_000;

/**
 * How long a resolved bearer token is trusted without reading it again. A bot sends hundreds of requests
 * a second with one token; reading the token and its user on each was two queries per request. A
 * revocation through {@link revokeApiToken} takes effect at once on this node; anything else (a revocation
 * on another node, a deleted or demoted user, expiry) within this time.
 */
export const TOKEN_CACHE_MS = 1_000;
const TOKEN_CACHE_MAX = 10_000;

interface CachedToken {
  readonly token: ApiTokenRecord;
  readonly user: UserRecord;
  readonly at: number;
}

// Per store, so every app (and test) has its own cache; keyed by the token's hash, never the token.
const tokenCaches = new WeakMap<ApiTokenStore, Map<string, CachedToken>>();

function tokenCache(store: ApiTokenStore): Map<string, CachedToken> {
  let cache = tokenCaches.get(store);
  if (!cache) tokenCaches.set(store, (cache = new Map()));
  return cache;
}

/** Forgets every cached resolution of the token with this id (after a revocation). */
export function forgetApiToken(store: ApiTokenStore, tokenId: string): void {
  const cache = tokenCache(store);
  for (const [hash, entry] of cache) if (entry.token.id === tokenId) cache.delete(hash);
}

/** Whether a string looks like a Pulse API token (prefix and 64 hex digits). */
export function isApiToken(text: string): boolean {
  return /^pulse_[0-9a-f]{64}$/.test(text);
}

/** Parses `30d`, `12h` or a bare number of days into days (1–365); undefined when malformed. */
export function parseExpiryDays(text: string): number | undefined {
  const match = /^(\d{1,3})(d?)$/.exec(text.trim());
  if (!match) return undefined;
  const days = Number(match[1]);
  return days >= 1 && days <= 365 ? days : undefined;
}

/** Mints a token for a user: 256 random bits, only the SHA-256 stored; the raw token is returned once. */
export async function createApiToken(
  input: {
    userId: string;
    name: string;
    scope: TokenScope;
    expiresInDays?: number;
    now: Date;
    ip: string | null;
  },
  deps: { apiTokens: ApiTokenStore; audit: AuditLog },
): Promise<{ token: string; record: ApiTokenRecord }> {
  const token = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('hex')}`;
  const record: ApiTokenRecord = {
    id: crypto.randomUUID(),
    userId: input.userId,
    name: input.name,
    tokenHash: hashToken(token),
    scope: input.scope,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + (input.expiresInDays ?? DEFAULT_TOKEN_DAYS) * DAY_MS),
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.apiTokens.insert(record);
  await deps.audit.record({
    actorId: input.userId,
    action: 'token.created',
    ip: input.ip,
    detail: { tokenId: record.id, scope: record.scope, name: record.name },
  });
  return { token, record };
}

/** Revokes one of the caller's tokens; another user's id is 404 like an unknown one. */
export async function revokeApiToken(
  input: { userId: string; id: string; now: Date; ip: string | null },
  deps: { apiTokens: ApiTokenStore; audit: AuditLog },
): Promise<void> {
  const revoked = await deps.apiTokens.revoke(input.userId, input.id, input.now);
  forgetApiToken(deps.apiTokens, input.id);
  if (!revoked) throw new AppError('AUTH_NOT_FOUND', 'No such token of yours (or it was revoked already).');
  await deps.audit.record({
    actorId: input.userId,
    action: 'token.revoked',
    ip: input.ip,
    detail: { tokenId: input.id },
  });
}

/** The token and its user behind a bearer token, or undefined when unknown, expired or revoked. */
export async function resolveApiToken(
  input: { token: string; now: Date },
  deps: { apiTokens: ApiTokenStore; users: UserStore },
): Promise<{ token: ApiTokenRecord; user: UserRecord } | undefined> {
  if (!isApiToken(input.token)) return undefined;
  const tokenHash = hashToken(input.token);
  const now = input.now.getTime();
  const cache = tokenCache(deps.apiTokens);
  const cached = cache.get(tokenHash);
  let record: ApiTokenRecord | undefined;
  let user: UserRecord | undefined;
  if (cached && cached.at <= now && now - cached.at < TOKEN_CACHE_MS) ({ token: record, user } = cached);
  else {
    cache.delete(tokenHash);
    record = await deps.apiTokens.findByHash(tokenHash);
    if (!record || record.revokedAt !== null) return undefined;
    user = await deps.users.findById(record.userId);
    if (!user) return undefined;
    if (cache.size >= TOKEN_CACHE_MAX) cache.delete(cache.keys().next().value ?? '');
    cache.set(tokenHash, { token: record, user, at: now });
  }
  if (record.expiresAt !== null && record.expiresAt.getTime() <= now) return undefined;
  if (record.lastUsedAt === null || now - record.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await deps.apiTokens.touch(record.id, input.now);
    record.lastUsedAt = input.now;
  }
  return { token: record, user };
}
