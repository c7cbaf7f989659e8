import type { Monitor, Uptime } from '../../../contracts/ops.js';
import type { MonitorRecord } from '../../ops/ops-ports.js';

const NO_UPTIME: Uptime = { '24h': null, '7d': null, '30d': null, '90d': null };
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** A monitor with its uptime, as the admin API shows it. */
export function presentMonitor(record: MonitorRecord, uptime: Uptime | undefined): Monitor {
  return {
    id: record.id,
    name: record.name,
    check: record.check,
    intervalMs: record.intervalMs,
    timeoutMs: record.timeoutMs,
    retries: record.retries,
    enabled: record.enabled,
    component: record.component,
    status: record.enabled ? record.status : 'paused',
    lastCheckedAt: iso(record.lastCheckedAt),
    lastChangeAt: iso(record.lastChangeAt),
    lastDetail: record.lastDetail,
    uptime: uptime ?? NO_UPTIME,
  };
}
