import type { Role, TokenScope } from '../contracts/auth.js';

/** A stored user. */
export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
  mfaEnabled: boolean;
  /** Whether the address was confirmed through an e-mailed link (absent: not known to be). */
  emailVerified?: boolean;
}

/** A user as inserted. */
export type NewUser = Omit<UserRecord, 'createdAt' | 'mfaEnabled' | 'emailVerified'>;

/** Why an insert was refused. */
export type InsertUserResult = 'inserted' | 'duplicate_email' | 'duplicate_owner';

/** Users, by id and e-mail. */
export interface UserStore {
  hasOwner(): Promise<boolean>;
  insert(user: NewUser): Promise<InsertUserResult>;
  /** Inserts the first owner; 'duplicate_owner' once first-run setup has been completed, even by a racing node. */
  insertFirstOwner(user: NewUser): Promise<InsertUserResult>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /** Changes a role; refuses (atomically, across nodes) to demote the last owner. */
  setRole(id: string, role: Role): Promise<'updated' | 'not_found' | 'last_owner'>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  setMfaEnabled(id: string, enabled: boolean): Promise<void>;
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
  /** A public handle for listing and revoking. */
  id: string;
  /** "Remember me": a persistent cookie; false ends with the browser session. */
  persistent: boolean;
}

/** Sessions by token hash. */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  find(tokenHash: string): Promise<SessionRecord | undefined>;
  touch(tokenHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  listForUser(userId: string): Promise<SessionRecord[]>;
  /** Deletes one of a user's sessions by its public id; false when it is not theirs or unknown. */
  deleteById(userId: string, id: string): Promise<boolean>;
  /** Deletes every session of a user but `keepTokenHash`; returns how many went. */
  deleteAllForUser(userId: string, keepTokenHash?: string): Promise<number>;
}

/** A stored API token: only the SHA-256 of the token is kept. */
export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  scope: TokenScope;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** API tokens, always scoped to their owner: another user's id behaves as unknown. */
export interface ApiTokenStore {
  insert(token: ApiTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  list(userId: string): Promise<ApiTokenRecord[]>;
  revoke(userId: string, id: string, at: Date): Promise<boolean>;
  touch(id: string, at: Date): Promise<void>;
}

/** Failed sign-in bookkeeping for one key (`acct:<email>` or `ip:<address>`). */
export interface ThrottleRecord {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

/** Sign-in failure counters, shared by every node through the database. */
export interface SignInThrottleStore {
  get(key: string): Promise<ThrottleRecord | undefined>;
  put(key: string, record: ThrottleRecord): Promise<void>;
  clear(key: string): Promise<void>;
}

/** An envelope-encrypted secret of a user, with non-secret metadata. */
export interface UserSecretRecord {
  userId: string;
  kind: string;
  envelope: string;
  meta: Readonly<Record<string, string>>;
  updatedAt: Date;
}

/** Encrypted user secrets (broker keys, TOTP seeds), one per user and kind. */
export interface UserSecretStore {
  get(userId: string, kind: string): Promise<UserSecretRecord | undefined>;
  put(record: UserSecretRecord): Promise<void>;
  delete(userId: string, kind: string): Promise<boolean>;
  /** Every secret, for re-wrapping under a new master key. */
  all(): Promise<UserSecretRecord[]>;
  /** Replaces envelopes (same user and kind) in one transaction. */
  replaceEnvelopes(records: readonly UserSecretRecord[]): Promise<void>;
}

/** MFA: recovery codes (hashed, single use) and sign-in challenges (hashed, short-lived). */
export interface MfaStore {
  replaceRecoveryCodes(userId: string, codeHashes: readonly string[]): Promise<void>;
  /** Marks a recovery code used; false when unknown or used already (a race has one winner). */
  useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean>;
  remainingRecoveryCodes(userId: string): Promise<number>;
  createChallenge(challenge: {
    idHash: string;
    userId: string;
    remember: boolean;
    expiresAt: Date;
  }): Promise<void>;
  /** Counts an attempt and returns the challenge while it is live and under the attempt limit. */
  attemptChallenge(
    idHash: string,
    now: Date,
    maxAttempts: number,
  ): Promise<{ userId: string; remember: boolean } | undefined>;
  deleteChallenge(idHash: string): Promise<void>;
}

/** Small platform settings kept in the database (e.g. whether MFA is required). */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** Sends e-mail (lockout notices); the SMTP adapter or a no-op when SMTP_URL is unset. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** One security-relevant event. */
export interface AuditEvent {
  actorId: string | null;
  action: string;
  ip: string | null;
  detail?: Readonly<Record<string, unknown>>;
}

/** A stored audit entry, with its place in the hash chain. */
export interface AuditEntry {
  id: string;
  at: Date;
  actorId: string | null;
  action: string;
  ip: string | null;
  detail: string;
  prevHash: string | null;
  hash: string | null;
}

/** Filters for listing the audit log, newest first. */
export interface AuditQuery {
  actorId?: string;
  action?: string;
  since?: Date;
  until?: Date;
  limit: number;
}

/** Append-only audit trail; each entry is chained to the previous by hash. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}

/** Reading the audit trail (admins) and walking the whole chain to verify it. */
export interface AuditReader {
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /** Every entry in id order, in pages. */
  scan(): AsyncIterable<AuditEntry>;
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
