import type { ColumnType, Generated } from 'kysely';

type Timestamptz = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamptz = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;
type BigCount = ColumnType<string, number | string, number | string>;

/** The ops tables (migration 0030), kept apart from schema.ts and joined with `db.withTables<OpsTables>()`. */
export type OpsTables = {
  ops_monitors: {
    id: string;
    name: string;
    check_spec: Json<unknown>;
    interval_ms: number;
    timeout_ms: number;
    retries: number;
    enabled: boolean;
    component: string | null;
    status: string;
    failures: number;
    last_checked_at: NullableTimestamptz;
    last_change_at: NullableTimestamptz;
    last_detail: string | null;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  ops_check_results: {
    id: Generated<string>;
    monitor_id: string;
    at: Timestamptz;
    ok: boolean;
    latency_ms: number | null;
    detail: string | null;
    status: string;
  };
  ops_check_hourly: {
    monitor_id: string;
    hour: Timestamptz;
    checks: number;
    up: number;
    failures: number;
    latency_sum: BigCount;
    latency_count: number;
  };
  ops_incidents: {
    id: string;
    title: string;
    kind: string;
    impact: string;
    status: string;
    components: string[];
    created_at: Timestamptz;
    resolved_at: NullableTimestamptz;
    starts_at: NullableTimestamptz;
    ends_at: NullableTimestamptz;
  };
  ops_incident_updates: {
    id: Generated<string>;
    incident_id: string;
    at: Timestamptz;
    status: string;
    message: string;
  };
  ops_error_groups: {
    fingerprint: string;
    source: string;
    type: string;
    message: string;
    count: BigCount;
    first_seen: Timestamptz;
    last_seen: Timestamptz;
    release: string | null;
    route: string | null;
    browser: string | null;
    stack: string | null;
    mapped_stack: string | null;
  };
  ops_vitals: {
    id: Generated<string>;
    at: Timestamptz;
    name: string;
    value: number;
    route: string;
    release: string;
    browser: string | null;
  };
  ops_alerts: {
    id: string;
    rule_id: string;
    key: string;
    severity: string;
    status: string;
    summary: string;
    started_at: Timestamptz;
    resolved_at: NullableTimestamptz;
    acked_at: NullableTimestamptz;
    acked_by: string | null;
    escalation_level: number;
    notifications: number;
    suppressed: boolean;
  };
};
