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
  if (!(await deps.apiTokens.revoke(input.userId, input.id, input.now)))
    throw new AppError('AUTH_NOT_FOUND', 'No such token of yours (or it was revoked already).');
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
  const record = await deps.apiTokens.findByHash(hashToken(input.token));
  if (!record || record.revokedAt !== null) return undefined;
  const now = input.now.getTime();
  if (record.expiresAt !== null && record.expiresAt.getTime() <= now) return undefined;
  const user = await deps.users.findById(record.userId);
  if (!user) return undefined;
  if (record.lastUsedAt === null || now - record.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await deps.apiTokens.touch(record.id, input.now);
    record.lastUsedAt = input.now;
  }
  return { token: record, user };
}
