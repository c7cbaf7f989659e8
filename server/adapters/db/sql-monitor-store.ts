import { type Kysely, sql } from 'kysely';
import { MonitorCheck, type MonitorStatus, type Uptime } from '../../../contracts/ops.js';
import type { CheckRecord, HourlyRollup, MonitorRecord, MonitorStore } from '../../ops/ops-ports.js';
import type { OpsTables } from './ops-schema.js';
import type { Database } from './schema.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function toRecord(row: {
  id: string;
  name: string;
  check_spec: unknown;
  interval_ms: number;
  timeout_ms: number;
  retries: number;
  enabled: boolean;
  component: string | null;
  status: string;
  failures: number;
  last_checked_at: Date | null;
  last_change_at: Date | null;
  last_detail: string | null;
}): MonitorRecord {
  return {
    id: row.id,
    name: row.name,
    check: MonitorCheck.parse(row.check_spec),
    intervalMs: row.interval_ms,
    timeoutMs: row.timeout_ms,
    retries: row.retries,
    enabled: row.enabled,
    component: row.component,
    status: row.status as MonitorStatus,
    failures: row.failures,
    lastCheckedAt: row.last_checked_at,
    lastChangeAt: row.last_change_at,
    lastDetail: row.last_detail,
  };
}

/** Monitors in PostgreSQL: raw results plus an hourly rollup maintained on every write. */
export class SqlMonitorStore implements MonitorStore {
  private readonly db: Kysely<OpsTables>;
  constructor(db: Kysely<Database>) {
    this.db = db.withTables<OpsTables>() as unknown as Kysely<OpsTables>;
  }

  async list(): Promise<MonitorRecord[]> {
    const rows = await this.db
      .selectFrom('ops_monitors')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  async get(id: string): Promise<MonitorRecord | undefined> {
    const row = await this.db.selectFrom('ops_monitors').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(r: MonitorRecord): Promise<void> {
    await this.db
      .insertInto('ops_monitors')
      .values({
        id: r.id,
        name: r.name,
        check_spec: JSON.stringify(r.check),
        interval_ms: r.intervalMs,
        timeout_ms: r.timeoutMs,
        retries: r.retries,
        enabled: r.enabled,
        component: r.component,
        status: r.status,
        failures: r.failures,
        last_checked_at: r.lastCheckedAt,
        last_change_at: r.lastChangeAt,
        last_detail: r.lastDetail,
      })
      .execute();
  }

  async update(id: string, p: Partial<Omit<MonitorRecord, 'id'>>): Promise<MonitorRecord | undefined> {
    const values = {
      ...(p.name !== undefined && { name: p.name }),
      ...(p.check !== undefined && { check_spec: JSON.stringify(p.check) }),
      ...(p.intervalMs !== undefined && { interval_ms: p.intervalMs }),
      ...(p.timeoutMs !== undefined && { timeout_ms: p.timeoutMs }),
      ...(p.retries !== undefined && { retries: p.retries }),
      ...(p.enabled !== undefined && { enabled: p.enabled }),
      ...(p.component !== undefined && { component: p.component }),
      ...(p.status !== undefined && { status: p.status }),
      ...(p.failures !== undefined && { failures: p.failures }),
    };
    if (Object.keys(values).length === 0) return this.get(id);
    const row = await this.db
      .updateTable('ops_monitors')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('ops_monitors').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async record(r: CheckRecord): Promise<void> {
    const hour = new Date(Math.floor(r.at.getTime() / HOUR) * HOUR);
    const up = r.status === 'down' ? 0 : 1;
    await this.db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('ops_monitors')
        .set({
          status: r.status,
          failures: r.failures,
          last_checked_at: r.at,
          last_detail: r.detail,
          ...(r.changed && { last_change_at: r.at }),
        })
        .where('id', '=', r.monitorId)
        .executeTakeFirst();
      // Deleted while its check was in flight: nothing to record.
      if (updated.numUpdatedRows === 0n) return;
      await tx
        .insertInto('ops_check_results')
        .values({
          monitor_id: r.monitorId,
          at: r.at,
          ok: r.ok,
          latency_ms: r.latencyMs,
          detail: r.detail,
          status: r.status,
        })
        .execute();
      await tx
        .insertInto('ops_check_hourly')
        .values({
          monitor_id: r.monitorId,
          hour,
          checks: 1,
          up,
          failures: r.ok ? 0 : 1,
          latency_sum: r.latencyMs ?? 0,
          latency_count: r.latencyMs === null ? 0 : 1,
        })
        .onConflict((oc) =>
          oc.columns(['monitor_id', 'hour']).doUpdateSet({
            checks: sql`ops_check_hourly.checks + 1`,
            up: sql`ops_check_hourly.up + excluded.up`,
            failures: sql`ops_check_hourly.failures + excluded.failures`,
            latency_sum: sql`ops_check_hourly.latency_sum + excluded.latency_sum`,
            latency_count: sql`ops_check_hourly.latency_count + excluded.latency_count`,
          }),
        )
        .execute();
    });
  }

  async results(
    id: string,
    since: Date,
    limit: number,
  ): Promise<Omit<CheckRecord, 'failures' | 'changed'>[]> {
    const rows = await this.db
      .selectFrom('ops_check_results')
      .select(['monitor_id', 'at', 'ok', 'latency_ms', 'detail', 'status'])
      .where('monitor_id', '=', id)
      .where('at', '>=', since)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      monitorId: r.monitor_id,
      at: r.at,
      ok: r.ok,
      latencyMs: r.latency_ms,
      detail: r.detail,
      status: r.status as MonitorStatus,
    }));
  }

  async hourly(id: string, since: Date): Promise<HourlyRollup[]> {
    const rows = await this.db
      .selectFrom('ops_check_hourly')
      .selectAll()
      .where('monitor_id', '=', id)
      .where('hour', '>=', since)
      .orderBy('hour')
      .execute();
    return rows.map((r) => ({
      hour: r.hour,
      checks: r.checks,
      up: r.up,
      failures: r.failures,
      avgLatencyMs: r.latency_count > 0 ? Math.round(Number(r.latency_sum) / r.latency_count) : null,
    }));
  }

  async uptime(now: Date): Promise<Map<string, Uptime>> {
    const t = now.getTime();
    const since = (ms: number) => new Date(Math.floor((t - ms) / HOUR) * HOUR);
    const ratio = (ms: number) =>
      sql<
        number | null
      >`(sum(up) filter (where hour >= ${since(ms)}))::float8 / nullif(sum(checks) filter (where hour >= ${since(ms)}), 0)`;
    const rows = await this.db
      .selectFrom('ops_check_hourly')
      .select((eb) => [
        eb.ref('monitor_id').as('id'),
        ratio(DAY).as('d1'),
        ratio(7 * DAY).as('d7'),
        ratio(30 * DAY).as('d30'),
        ratio(90 * DAY).as('d90'),
      ])
      .where('hour', '>=', since(90 * DAY))
      .groupBy('monitor_id')
      .execute();
    return new Map(rows.map((r) => [r.id, { '24h': r.d1, '7d': r.d7, '30d': r.d30, '90d': r.d90 }]));
  }

  async daily(since: Date): Promise<Array<{ monitorId: string; day: string; checks: number; up: number }>> {
    const rows = await sql<{ monitor_id: string; day: string; checks: number; up: number }>`
      select monitor_id, to_char(hour at time zone 'UTC', 'YYYY-MM-DD') as day,
             sum(checks)::int as checks, sum(up)::int as up
      from ops_check_hourly where hour >= ${since}
      group by monitor_id, day order by day`.execute(this.db);
    return rows.rows.map((r) => ({ monitorId: r.monitor_id, day: r.day, checks: r.checks, up: r.up }));
  }

  async prune(rawBefore: Date, hourlyBefore: Date): Promise<{ results: number; hourly: number }> {
    const results = await this.db
      .deleteFrom('ops_check_results')
      .where('at', '<', rawBefore)
      .executeTakeFirst();
    const hourly = await this.db
      .deleteFrom('ops_check_hourly')
      .where('hour', '<', hourlyBefore)
      .executeTakeFirst();
    return { results: Number(results.numDeletedRows), hourly: Number(hourly.numDeletedRows) };
  }
}
