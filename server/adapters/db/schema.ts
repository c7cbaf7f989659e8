import type { ColumnType, Generated } from 'kysely';

type Timestamptz = ColumnType<Date, Date | string, Date | string>;

/** The `users` table. */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: 'owner' | 'admin' | 'trader' | 'viewer';
  created_at: ColumnType<Date, Date | string | undefined, never>;
  mfa_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** Set when the address is confirmed through an e-mailed link (migration 0050). */
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
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
  /** A public handle for listing and revoking; never the token. */
  id: ColumnType<string, string | undefined, never>;
  /** "Remember me": a persistent cookie (true) or a browser-session cookie (false). */
  persistent: ColumnType<boolean, boolean | undefined, boolean>;
}

/** API tokens: only the SHA-256 of the token is stored. */
export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scope: 'read' | 'trade' | 'admin';
  created_at: ColumnType<Date, Date | string, never>;
  expires_at: ColumnType<Date | null, Date | string | null, never>;
  last_used_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** Failed sign-ins per account (`acct:<email>`) and per address (`ip:<addr>`). */
export interface SignInThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Timestamptz;
  locked_until: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** Envelope-encrypted secrets of a user (broker keys, TOTP), one per kind. */
export interface UserSecretsTable {
  user_id: string;
  kind: string;
  envelope: string;
  meta: string;
  updated_at: Timestamptz;
}

/** Single-use MFA recovery codes, hashed. */
export interface MfaRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** The second step of a sign-in with MFA: a short-lived challenge (only its hash is stored). */
export interface MfaChallengesTable {
  id_hash: string;
  user_id: string;
  remember: boolean;
  attempts: ColumnType<number, number | undefined, number>;
  expires_at: Timestamptz;
}

/** Settings that must exist exactly once (first-run state and the like). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** An append-only, hash-chained record of security-relevant and trading events. */
export interface AuditLogTable {
  id: Generated<string>;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor_id: string | null;
  action: string;
  ip: string | null;
  detail: string;
  prev_hash: string | null;
  hash: string | null;
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

type Numeric = ColumnType<string, string, string>;
type NullableNumeric = ColumnType<string | null, string | null, string | null>;
type NullableTimestamptz = ColumnType<Date | null, Date | string | null, Date | string | null>;

/** One paper account per user: cash, the starting balance, fill model and risk limits (JSON text). */
export interface TradingAccountsTable {
  id: string;
  user_id: string;
  account_number: string;
  kind: 'cash' | 'margin';
  starting_cash: Numeric;
  cash: Numeric;
  fill_model: string;
  risk_limits: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Every field of Alpaca's order object, plus Pulse's leg bookkeeping and commission. */
export interface TradingOrdersTable {
  id: string;
  account_id: string;
  client_order_id: string;
  created_at: Timestamptz;
  updated_at: Timestamptz;
  submitted_at: Timestamptz;
  filled_at: NullableTimestamptz;
  expired_at: NullableTimestamptz;
  canceled_at: NullableTimestamptz;
  failed_at: NullableTimestamptz;
  replaced_at: NullableTimestamptz;
  replaced_by: string | null;
  replaces: string | null;
  asset_class: string;
  symbol: string;
  notional: NullableNumeric;
  qty: NullableNumeric;
  filled_qty: Numeric;
  filled_avg_price: NullableNumeric;
  order_class: string;
  type: string;
  side: string;
  time_in_force: string;
  limit_price: NullableNumeric;
  stop_price: NullableNumeric;
  status: string;
  extended_hours: boolean;
  legs: string[];
  trail_percent: NullableNumeric;
  trail_price: NullableNumeric;
  hwm: NullableNumeric;
  parent_id: string | null;
  role: string | null;
  commission: Numeric;
}

/** One execution, applied exactly once (execution_id is the key); seq orders an account's fills. */
export interface TradingFillsTable {
  execution_id: string;
  seq: Generated<string>;
  account_id: string;
  order_id: string;
  symbol: string;
  side: string;
  qty: Numeric;
  price: Numeric;
  commission: Numeric;
  position_qty: Numeric;
  cum_qty: Numeric;
  leaves_qty: Numeric;
  order_status: string;
  reference_price: Numeric;
  liquidity: string;
  slippage_bps: Numeric;
  latency_ms: number;
  at: Timestamptz;
}

/** An open position; the row is removed when it goes flat. */
export interface TradingPositionsTable {
  account_id: string;
  symbol: string;
  qty: Numeric;
  avg_entry_price: Numeric;
  realized_pl: Numeric;
  updated_at: Timestamptz;
}

/** Equity over time: one row per minute while running and one at each fill. */
export interface TradingEquityTable {
  account_id: string;
  at: Timestamptz;
  equity: Numeric;
  cash: Numeric;
}

/** Bars recorded from the live feed. */
export interface BarsTable {
  symbol: string;
  timeframe: string;
  t: Date;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
  extended: boolean;
}

/** Every table Pulse owns, for Kysely's typed queries. */
export interface Database {
  bars: BarsTable;
  watchlists: WatchlistsTable;
  users: UsersTable;
  sessions: SessionsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  api_tokens: ApiTokensTable;
  sign_in_throttle: SignInThrottleTable;
  user_secrets: UserSecretsTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  mfa_challenges: MfaChallengesTable;
  trading_accounts: TradingAccountsTable;
  trading_orders: TradingOrdersTable;
  trading_fills: TradingFillsTable;
  trading_positions: TradingPositionsTable;
  trading_equity: TradingEquityTable;
}
