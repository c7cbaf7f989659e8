import type { Incident, StatusPage } from '../../../contracts/ops.js';
import type { MonitorRecord } from '../ops-ports.js';

type ComponentState = StatusPage['components'][number]['status'];
const DAY = 86_400_000;
const RANK: Record<ComponentState, number> = {
  operational: 0,
  unknown: 1,
  maintenance: 2,
  degraded: 3,
  outage: 4,
};

/** The last `days` UTC dates, oldest first, as YYYY-MM-DD. */
export function lastDays(now: number, days: number): string[] {
  const today = Math.floor(now / DAY) * DAY;
  return Array.from({ length: days }, (_, i) =>
    new Date(today - (days - 1 - i) * DAY).toISOString().slice(0, 10),
  );
}

/**
 * The public status page: one component per monitor `component` name, its state from its monitors,
 * open incidents and active maintenance, and a 90-day bar from the daily rollups.
 */
export function buildStatusPage(input: {
  now: number;
  monitors: readonly MonitorRecord[];
  daily: ReadonlyArray<{ monitorId: string; day: string; checks: number; up: number }>;
  incidents: readonly Incident[];
}): StatusPage {
  const { now } = input;
  const days = lastDays(now, 90);
  const isActiveMaintenance = (i: Incident) =>
    i.kind === 'maintenance' &&
    i.status !== 'resolved' &&
    i.startsAt !== null &&
    Date.parse(i.startsAt) <= now &&
    (i.endsAt === null || Date.parse(i.endsAt) > now);
  const openIncidents = input.incidents.filter((i) => i.kind === 'incident' && i.status !== 'resolved');
  const byComponent = new Map<string, MonitorRecord[]>();
  for (const m of input.monitors) {
    if (!m.component || !m.enabled) continue;
    byComponent.set(m.component, [...(byComponent.get(m.component) ?? []), m]);
  }
  const components = [...byComponent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, monitors]) => {
      const ids = new Set(monitors.map((m) => m.id));
      let status: ComponentState = monitors.some((m) => m.status === 'down')
        ? 'outage'
        : monitors.every((m) => m.status === 'up')
          ? 'operational'
          : 'unknown';
      for (const incident of openIncidents.filter((i) => i.components.includes(name))) {
        const implied: ComponentState =
          incident.impact === 'critical' || incident.impact === 'major' ? 'outage' : 'degraded';
        if (RANK[implied] > RANK[status]) status = implied;
      }
      if (
        status !== 'outage' &&
        input.incidents.some((i) => isActiveMaintenance(i) && i.components.includes(name))
      )
        status = 'maintenance';
      const perDay = new Map<string, { checks: number; up: number }>();
      for (const row of input.daily) {
        if (!ids.has(row.monitorId)) continue;
        const d = perDay.get(row.day) ?? { checks: 0, up: 0 };
        perDay.set(row.day, { checks: d.checks + row.checks, up: d.up + row.up });
      }
      let checks = 0;
      let up = 0;
      const bars = days.map((day) => {
        const d = perDay.get(day);
        if (!d || d.checks === 0) return { day, uptime: null };
        checks += d.checks;
        up += d.up;
        return { day, uptime: d.up / d.checks };
      });
      return { name, status, uptime90d: checks === 0 ? null : up / checks, days: bars };
    });
  const worst = components.reduce<ComponentState>(
    (w, c) => (RANK[c.status] > RANK[w] ? c.status : w),
    'operational',
  );
  const overall: StatusPage['status'] =
    worst === 'outage'
      ? 'outage'
      : worst === 'degraded' || openIncidents.length > 0
        ? 'degraded'
        : worst === 'maintenance'
          ? 'maintenance'
          : 'operational';
  return {
    status: overall,
    generatedAt: new Date(now).toISOString(),
    components,
    incidents: input.incidents.filter((i) => i.kind === 'incident'),
    maintenance: input.incidents.filter(
      (i) => i.kind === 'maintenance' && (i.endsAt === null || Date.parse(i.endsAt) > now - 7 * DAY),
    ),
  };
}
