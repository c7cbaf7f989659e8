import { type Kysely, sql } from 'kysely';
import type {
  Alert,
  CreateIncidentBody,
  ErrorGroup,
  Incident,
  VitalsSummary,
} from '../../../contracts/ops.js';
import type {
  AlertStore,
  ErrorOccurrence,
  IncidentStore,
  TelemetryStore,
  VitalRecord,
} from '../../ops/ops-ports.js';
import type { OpsTables } from './ops-schema.js';
import type { Database } from './schema.js';

const ops = (db: Kysely<Database>) => db.withTables<OpsTables>() as unknown as Kysely<OpsTables>;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

type AlertRow = {
  id: string;
  rule_id: string;
  key: string;
  severity: string;
  status: string;
  summary: string;
  started_at: Date;
  resolved_at: Date | null;
  acked_at: Date | null;
  acked_by: string | null;
  escalation_level: number;
  notifications: number;
  suppressed: boolean;
};

const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  ruleId: r.rule_id,
  key: r.key,
  severity: r.severity as Alert['severity'],
  status: r.status as Alert['status'],
  summary: r.summary,
  startedAt: r.started_at.toISOString(),
  resolvedAt: iso(r.resolved_at),
  ackedAt: iso(r.acked_at),
  ackedBy: r.acked_by,
  escalationLevel: r.escalation_level,
  notifications: r.notifications,
  suppressed: r.suppressed,
});

/** Alerts in PostgreSQL; a partial unique index keeps one firing alert per key across nodes. */
export class SqlAlertStore implements AlertStore {
  private readonly db: Kysely<OpsTables>;
  constructor(db: Kysely<Database>) {
    this.db = ops(db);
  }

  async open(a: Alert): Promise<{ alert: Alert; created: boolean }> {
    const inserted = await sql<AlertRow>`
      insert into ops_alerts (id, rule_id, key, severity, status, summary, started_at, escalation_level, notifications, suppressed)
      values (${a.id}, ${a.ruleId}, ${a.key}, ${a.severity}, 'firing', ${a.summary}, ${a.startedAt}, 0, 0, ${a.suppressed})
      on conflict (key) where status = 'firing' do nothing
      returning *`.execute(this.db);
    const row = inserted.rows[0];
    if (row) return { alert: toAlert(row), created: true };
    const existing = await this.db
      .selectFrom('ops_alerts')
      .selectAll()
      .where('key', '=', a.key)
      .where('status', '=', 'firing')
      .executeTakeFirstOrThrow();
    return { alert: toAlert(existing), created: false };
  }

  async firing(): Promise<Alert[]> {
    const rows = await this.db
      .selectFrom('ops_alerts')
      .selectAll()
      .where('status', '=', 'firing')
      .orderBy('started_at')
      .execute();
    return rows.map(toAlert);
  }

  async list(limit: number): Promise<Alert[]> {
    const rows = await this.db
      .selectFrom('ops_alerts')
      .selectAll()
      .orderBy(sql`status = 'firing'`, 'desc')
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toAlert);
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.db.selectFrom('ops_alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAlert(row);
  }

  async update(id: string, p: Partial<Omit<Alert, 'id'>>): Promise<Alert | undefined> {
    const row = await this.db
      .updateTable('ops_alerts')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.resolvedAt !== undefined && { resolved_at: p.resolvedAt }),
        ...(p.ackedAt !== undefined && { acked_at: p.ackedAt }),
        ...(p.ackedBy !== undefined && { acked_by: p.ackedBy }),
        ...(p.escalationLevel !== undefined && { escalation_level: p.escalationLevel }),
        ...(p.notifications !== undefined && { notifications: p.notifications }),
        ...(p.suppressed !== undefined && { suppressed: p.suppressed }),
        ...(p.summary !== undefined && { summary: p.summary }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toAlert(row);
  }

  async recentForKey(key: string, since: Date): Promise<Alert[]> {
    const rows = await this.db
      .selectFrom('ops_alerts')
      .selectAll()
      .where('key', '=', key)
      .where('started_at', '>=', since)
      .orderBy('started_at', 'desc')
      .execute();
    return rows.map(toAlert);
  }
}

/** Incidents and maintenance windows in PostgreSQL. */
export class SqlIncidentStore implements IncidentStore {
  private readonly db: Kysely<OpsTables>;
  constructor(db: Kysely<Database>) {
    this.db = ops(db);
  }

  async create(input: CreateIncidentBody & { id: string; at: Date }): Promise<Incident> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('ops_incidents')
        .values({
          id: input.id,
          title: input.title,
          kind: input.kind ?? 'incident',
          impact: input.impact ?? 'minor',
          status: 'investigating',
          components: input.components ?? [],
          created_at: input.at,
          starts_at: input.startsAt ?? null,
          ends_at: input.endsAt ?? null,
        })
        .execute();
      await tx
        .insertInto('ops_incident_updates')
        .values({ incident_id: input.id, at: input.at, status: 'investigating', message: input.message })
        .execute();
    });
    return (await this.get(input.id)) as Incident;
  }

  async addUpdate(
    id: string,
    u: { at: Date; status: Incident['status']; message: string },
  ): Promise<Incident | undefined> {
    const found = await this.db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('ops_incidents')
        .set({
          status: u.status,
          ...(u.status === 'resolved' ? { resolved_at: u.at } : { resolved_at: null }),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return false;
      await tx
        .insertInto('ops_incident_updates')
        .values({ incident_id: id, at: u.at, status: u.status, message: u.message })
        .execute();
      return true;
    });
    return found ? this.get(id) : undefined;
  }

  async get(id: string): Promise<Incident | undefined> {
    return (
      await this.load(this.db.selectFrom('ops_incidents').selectAll().where('id', '=', id).execute())
    )[0];
  }

  async recent(since: Date): Promise<Incident[]> {
    return this.load(
      this.db
        .selectFrom('ops_incidents')
        .selectAll()
        .where((eb) =>
          eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', since), eb('ends_at', '>=', since)]),
        )
        .orderBy('created_at', 'desc')
        .limit(100)
        .execute(),
    );
  }

  private async load(
    pending: Promise<
      Array<{
        id: string;
        title: string;
        kind: string;
        impact: string;
        status: string;
        components: string[];
        created_at: Date;
        resolved_at: Date | null;
        starts_at: Date | null;
        ends_at: Date | null;
      }>
    >,
  ): Promise<Incident[]> {
    const rows = await pending;
    if (rows.length === 0) return [];
    const updates = await this.db
      .selectFrom('ops_incident_updates')
      .selectAll()
      .where(
        'incident_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind as Incident['kind'],
      impact: r.impact as Incident['impact'],
      status: r.status as Incident['status'],
      components: r.components,
      createdAt: r.created_at.toISOString(),
      resolvedAt: iso(r.resolved_at),
      startsAt: iso(r.starts_at),
      endsAt: iso(r.ends_at),
      updates: updates
        .filter((u) => u.incident_id === r.id)
        .map((u) => ({ at: u.at.toISOString(), status: u.status as Incident['status'], message: u.message })),
    }));
  }
}

/** Error groups and web-vitals samples in PostgreSQL. */
export class SqlTelemetryStore implements TelemetryStore {
  private readonly db: Kysely<OpsTables>;
  constructor(db: Kysely<Database>) {
    this.db = ops(db);
  }

  async recordErrors(errors: readonly ErrorOccurrence[]): Promise<string[]> {
    const fresh: string[] = [];
    // One upsert per group: a batch of 500 duplicates becomes a handful of statements.
    const groups = new Map<string, { last: ErrorOccurrence; first: Date; count: number }>();
    for (const e of errors) {
      const g = groups.get(e.fingerprint);
      if (g) {
        g.count += 1;
        g.last = e;
      } else groups.set(e.fingerprint, { last: e, first: e.at, count: 1 });
    }
    await this.db.transaction().execute(async (tx) => {
      for (const [fingerprint, { last, first, count }] of groups) {
        const result = await sql<{ inserted: boolean }>`
          insert into ops_error_groups (fingerprint, source, type, message, count, first_seen, last_seen, release, route, browser, stack, mapped_stack)
          values (${fingerprint}, ${last.source}, ${last.type}, ${last.message}, ${count}, ${first}, ${last.at},
                  ${last.release}, ${last.route}, ${last.browser}, ${last.stack}, ${last.mappedStack})
          on conflict (fingerprint) do update set
            count = ops_error_groups.count + excluded.count,
            last_seen = greatest(ops_error_groups.last_seen, excluded.last_seen),
            message = excluded.message, release = excluded.release, route = excluded.route,
            browser = excluded.browser, stack = excluded.stack, mapped_stack = excluded.mapped_stack
          returning (xmax = 0) as inserted`.execute(tx);
        if (result.rows[0]?.inserted) fresh.push(fingerprint);
      }
    });
    return fresh;
  }

  async recordVitals(samples: readonly VitalRecord[]): Promise<void> {
    if (samples.length === 0) return;
    await this.db
      .insertInto('ops_vitals')
      .values(
        samples.map((s) => ({
          at: s.at,
          name: s.name,
          value: s.value,
          route: s.route,
          release: s.release,
          browser: s.browser,
        })),
      )
      .execute();
  }

  async errorGroups(limit: number): Promise<ErrorGroup[]> {
    const rows = await this.db
      .selectFrom('ops_error_groups')
      .selectAll()
      .orderBy('last_seen', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      source: r.source as ErrorGroup['source'],
      type: r.type,
      message: r.message,
      count: Number(r.count),
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
      release: r.release,
      route: r.route,
      browser: r.browser,
      stack: r.stack,
      mappedStack: r.mapped_stack,
    }));
  }

  async errorCountSince(since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('ops_error_groups')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('last_seen', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async vitalsP75(since: Date): Promise<VitalsSummary> {
    const rows = await sql<{
      route: string;
      name: VitalsSummary[number]['name'];
      p75: number;
      samples: number;
    }>`
      select route, name, percentile_cont(0.75) within group (order by value)::float8 as p75, count(*)::int as samples
      from ops_vitals where at >= ${since} group by route, name order by route, name`.execute(this.db);
    return rows.rows;
  }

  async prune(vitalsBefore: Date, errorsBefore: Date): Promise<void> {
    await this.db.deleteFrom('ops_vitals').where('at', '<', vitalsBefore).execute();
    await this.db.deleteFrom('ops_error_groups').where('last_seen', '<', errorsBefore).execute();
  }
}
