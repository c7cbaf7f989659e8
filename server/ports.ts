import type { Role } from '../contracts/auth.js';

/** A stored user. */
export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
}

/** Why an insert was refused. */
export type InsertUserResult = 'inserted' | 'duplicate_email' | 'duplicate_owner';

/** Users, by id and e-mail. */
export interface UserStore {
  hasOwner(): Promise<boolean>;
  insert(user: Omit<UserRecord, 'createdAt'>): Promise<InsertUserResult>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
}

/** A stored session; the cookie holds a token whose SHA-256 is `tokenHash`. */
export interface SessionRecord {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** Sessions by token hash. */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  find(tokenHash: string): Promise<SessionRecord | undefined>;
  touch(tokenHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void>;
  delete(tokenHash: string): Promise<void>;
}

/** One security-relevant event. */
export interface AuditEvent {
  actorId: string | null;
  action: string;
  ip: string | null;
  detail?: Readonly<Record<string, unknown>>;
}

/** Append-only audit trail. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}

/** A dependency that /readyz reports on. */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

/** A stored watchlist. */
export interface WatchlistRecord {
  id: string;
  userId: string;
  name: string;
  position: number;
  symbols: string[];
}

/** Watchlists, always scoped to their owner: another user's id behaves as unknown. */
export interface WatchlistStore {
  list(userId: string): Promise<WatchlistRecord[]>;
  get(userId: string, id: string): Promise<WatchlistRecord | undefined>;
  insert(record: WatchlistRecord): Promise<'inserted' | 'duplicate_name'>;
  update(
    userId: string,
    id: string,
    patch: { name?: string; symbols?: string[] },
  ): Promise<'updated' | 'not_found' | 'duplicate_name'>;
  delete(userId: string, id: string): Promise<boolean>;
  /** Sets positions 0..n-1 in the given order, atomically. */
  reorder(userId: string, ids: readonly string[]): Promise<void>;
}

export type {
  EquityPoint,
  FillQuery,
  FillRecord,
  TradingAccountRecord,
  TradingStore,
  TradingTransaction,
} from './trading/trading-store.js';
