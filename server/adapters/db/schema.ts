import type { ColumnType, Generated } from 'kysely';

type Timestamptz = ColumnType<Date, Date | string, Date | string>;

/** The `users` table. */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: 'owner' | 'admin' | 'trader' | 'viewer';
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** The `sessions` table: only a hash of the cookie's token is stored. */
export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  user_agent: string | null;
  ip: string | null;
  created_at: ColumnType<Date, Date | string, never>;
  last_seen_at: Timestamptz;
  expires_at: Timestamptz;
}

/** Settings that must exist exactly once (first-run state and the like). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** An append-only record of security-relevant events; the accounts issue deepens it. */
export interface AuditLogTable {
  id: Generated<string>;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor_id: string | null;
  action: string;
  ip: string | null;
  detail: string;
}

/** A user's watchlist; `symbols` keeps their order. */
export interface WatchlistsTable {
  id: string;
  user_id: string;
  name: string;
  position: number;
  symbols: string[];
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Every table Pulse owns, for Kysely's typed queries. */
export interface Database {
  watchlists: WatchlistsTable;
  users: UsersTable;
  sessions: SessionsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
}
