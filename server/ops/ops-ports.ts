import type {
  Alert,
  CreateIncidentBody,
  ErrorGroup,
  Incident,
  MonitorCheck,
  MonitorStatus,
  Uptime,
  VitalsSummary,
} from '../../contracts/ops.js';

/** A stored monitor with its live state. */
export interface MonitorRecord {
  id: string;
  name: string;
  check: MonitorCheck;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  enabled: boolean;
  component: string | null;
  status: MonitorStatus;
  /** Consecutive failed checks. */
  failures: number;
  lastCheckedAt: Date | null;
  lastChangeAt: Date | null;
  lastDetail: string | null;
}

/** One check result with the state it left the monitor in. */
export interface CheckRecord {
  monitorId: string;
  at: Date;
  ok: boolean;
  latencyMs: number | null;
  detail: string | null;
  status: MonitorStatus;
  failures: number;
  changed: boolean;
}

/** One hour of a monitor's checks. */
export interface HourlyRollup {
  hour: Date;
  checks: number;
  /** Checks that left the monitor not down. */
  up: number;
  failures: number;
  avgLatencyMs: number | null;
}

/** Monitors, their raw results (kept 48 h) and hourly rollups (kept 90 d). */
export interface MonitorStore {
  list(): Promise<MonitorRecord[]>;
  get(id: string): Promise<MonitorRecord | undefined>;
  insert(record: MonitorRecord): Promise<void>;
  update(id: string, patch: Partial<Omit<MonitorRecord, 'id'>>): Promise<MonitorRecord | undefined>;
  delete(id: string): Promise<boolean>;
  /** Stores a result and the monitor's new state, and counts it into its hour, atomically. */
  record(result: CheckRecord): Promise<void>;
  results(id: string, since: Date, limit: number): Promise<Omit<CheckRecord, 'failures' | 'changed'>[]>;
  hourly(id: string, since: Date): Promise<HourlyRollup[]>;
  /** Uptime over 24 h, 7 d, 30 d and 90 d from the rollups, per monitor id. */
  uptime(now: Date): Promise<Map<string, Uptime>>;
  /** Per monitor and UTC day since `since`: checks and up checks. */
  daily(since: Date): Promise<Array<{ monitorId: string; day: string; checks: number; up: number }>>;
  /** Drops raw results older than `rawBefore` and rollups older than `hourlyBefore`. */
  prune(rawBefore: Date, hourlyBefore: Date): Promise<{ results: number; hourly: number }>;
}

/** Incidents and maintenance windows with their updates. */
export interface IncidentStore {
  create(input: CreateIncidentBody & { id: string; at: Date }): Promise<Incident>;
  addUpdate(
    id: string,
    update: { at: Date; status: Incident['status']; message: string },
  ): Promise<Incident | undefined>;
  get(id: string): Promise<Incident | undefined>;
  /** Unresolved ones plus those resolved or ended since `since`, newest first. */
  recent(since: Date): Promise<Incident[]>;
}

/** A browser or server error, fingerprinted. */
export interface ErrorOccurrence {
  fingerprint: string;
  source: 'browser' | 'server';
  type: string;
  message: string;
  at: Date;
  release: string | null;
  route: string | null;
  browser: string | null;
  stack: string | null;
  mappedStack: string | null;
}

/** One web-vitals sample as stored. */
export interface VitalRecord {
  at: Date;
  name: 'LCP' | 'INP' | 'CLS' | 'TTFB' | 'FCP';
  value: number;
  route: string;
  release: string;
  browser: string | null;
}

/** Error groups and web-vitals samples. */
export interface TelemetryStore {
  /** Upserts groups (count and last seen grow); returns the fingerprints that were new. */
  recordErrors(errors: readonly ErrorOccurrence[]): Promise<string[]>;
  recordVitals(samples: readonly VitalRecord[]): Promise<void>;
  errorGroups(limit: number): Promise<ErrorGroup[]>;
  /** Error occurrences counted since `since` (approximated by groups last seen since then). */
  errorCountSince(since: Date): Promise<number>;
  vitalsP75(since: Date): Promise<VitalsSummary>;
  prune(vitalsBefore: Date, errorsBefore: Date): Promise<void>;
}

/** Alerts, deduplicated by key: at most one firing alert per key. */
export interface AlertStore {
  /** Opens an alert unless one is already firing for its key; returns the firing one and whether it is new. */
  open(alert: Alert): Promise<{ alert: Alert; created: boolean }>;
  firing(): Promise<Alert[]>;
  list(limit: number): Promise<Alert[]>;
  get(id: string): Promise<Alert | undefined>;
  update(id: string, patch: Partial<Omit<Alert, 'id'>>): Promise<Alert | undefined>;
  /** Recent alerts of one key (for flap detection), newest first. */
  recentForKey(key: string, since: Date): Promise<Alert[]>;
}

/** Leadership for singletons (monitors, alerting): a PostgreSQL advisory lock, or always held on PGlite. */
export interface LeaderLock {
  /** Takes or confirms the lock; false when another node holds it or the lock was lost. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** A lock for a single node: always the leader. */
export const soleLeader: LeaderLock = { acquire: async () => true, release: async () => undefined };

/** What trading-aware monitors read from the running app. */
export interface MonitorContext {
  /** The market clock (the simulator's when simulated), epoch ms. */
  marketNow(): number;
  feedConnected(): boolean;
  /** When the symbol last traded on the feed, in market-clock ms. */
  lastTradeAt(symbol: string): number | undefined;
  /** Named heartbeats (e.g. `signals`): the epoch ms of their last beat. */
  heartbeats: ReadonlyMap<string, () => number | undefined>;
}
