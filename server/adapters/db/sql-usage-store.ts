import { type Kysely, sql } from 'kysely';
import { UsageMetric } from '../../../contracts/ops.js';
import type { BusinessCounts, StoredBudget, UsageStore } from '../../ops/usage/usage-ports.js';
import type { Database } from './schema.js';

const DAY_MS = 86_400_000;

/** Usage over SQL: counts by UTC day, table sizes from pg_total_relation_size, budgets in ops_usage_budgets. */
export class SqlUsageStore implements UsageStore {
  constructor(private readonly db: Kysely<Database>) {}

  async business(now: Date, since: Date): Promise<BusinessCounts> {
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const { rows: totals } = await sql<{
      users: number;
      d1: number;
      d7: number;
      d30: number;
    }>`select
        (select count(*)::int from users) as users,
        (select count(distinct user_id)::int from sessions where last_seen_at >= ${ago(1)}) as d1,
        (select count(distinct user_id)::int from sessions where last_seen_at >= ${ago(7)}) as d7,
        (select count(distinct user_id)::int from sessions where last_seen_at >= ${ago(30)}) as d30`.execute(
      this.db,
    );
    const { rows: days } = await sql<{ day: string; kind: string; n: number }>`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, 'signups' as kind, count(*)::int as n
        from users where created_at >= ${since} group by 1
      union all
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD'), 'orders', count(*)::int
        from trading_orders where created_at >= ${since} group by 1
      union all
      select to_char(fired_at at time zone 'UTC', 'YYYY-MM-DD'), 'signals', count(*)::int
        from signal_firings where fired_at >= ${since} group by 1`.execute(this.db);
    const byDay = new Map<string, { day: string; signups: number; orders: number; signalsFired: number }>();
    for (const row of days) {
      const entry = byDay.get(row.day) ?? { day: row.day, signups: 0, orders: 0, signalsFired: 0 };
      if (row.kind === 'signups') entry.signups = row.n;
      else if (row.kind === 'orders') entry.orders = row.n;
      else entry.signalsFired = row.n;
      byDay.set(row.day, entry);
    }
    const t = totals[0];
    return {
      users: t?.users ?? 0,
      activeUsers: { '24h': t?.d1 ?? 0, '7d': t?.d7 ?? 0, '30d': t?.d30 ?? 0 },
      days: [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)),
    };
  }

  async tableSizes(): Promise<Array<{ table: string; bytes: number }>> {
    const { rows } = await sql<{ table: string; bytes: string }>`
      select c.relname as table, pg_total_relation_size(c.oid)::text as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and n.nspname = current_schema()
       order by pg_total_relation_size(c.oid) desc, c.relname`.execute(this.db);
    return rows.map((r) => ({ table: r.table, bytes: Number(r.bytes) }));
  }

  async budgets(): Promise<StoredBudget[]> {
    const { rows } = await sql<{ metric: string; limit_value: number | null; warn_at: number }>`
      select metric, limit_value, warn_at from ops_usage_budgets order by metric`.execute(this.db);
    return rows.flatMap((r) => {
      const metric = UsageMetric.safeParse(r.metric);
      return metric.success ? [{ metric: metric.data, limit: r.limit_value, warnAt: r.warn_at }] : [];
    });
  }

  async putBudgets(budgets: readonly StoredBudget[], at: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const b of budgets)
        await sql`insert into ops_usage_budgets (metric, limit_value, warn_at, updated_at)
                  values (${b.metric}, ${b.limit}, ${b.warnAt}, ${at})
                  on conflict (metric) do update
                  set limit_value = excluded.limit_value, warn_at = excluded.warn_at, updated_at = excluded.updated_at`.execute(
          trx,
        );
    });
  }
}
