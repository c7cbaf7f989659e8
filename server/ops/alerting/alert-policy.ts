import type { AlertChannel } from './alert-sink.js';

/** One step of escalation: notify `channel` once the alert has been unacknowledged for `afterMs`. */
export interface EscalationStep {
  channel: AlertChannel;
  afterMs: number;
}

/** Quiet hours in a time zone: only alerts of `minSeverity` or worse notify then; others wait for the end. */
export interface QuietHours {
  /** 'HH:MM', local to `timeZone`. */
  start: string;
  end: string;
  timeZone: string;
  minSeverity: 'warning' | 'critical';
}

/** How alerts are delivered. */
export interface AlertPolicy {
  escalation: readonly EscalationStep[];
  quietHours?: QuietHours;
  /** More than `maxOpens` alerts of one key within `windowMs` is flapping: later ones are kept in-app only. */
  flap: { windowMs: number; maxOpens: number };
}

/** Slack at once, e-mail after 15 min unacknowledged, SMS after 45 min. */
export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  escalation: [
    { channel: 'slack', afterMs: 0 },
    { channel: 'email', afterMs: 15 * 60_000 },
    { channel: 'sms', afterMs: 45 * 60_000 },
  ],
  flap: { windowMs: 60 * 60_000, maxOpens: 3 },
};

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

/** Minutes since local midnight in `timeZone`. */
function localMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Whether a notice of this severity must wait because of quiet hours. */
export function isHeldByQuietHours(
  quiet: QuietHours | undefined,
  severity: keyof typeof SEVERITY_RANK,
  at: number,
): boolean {
  if (!quiet || SEVERITY_RANK[severity] >= SEVERITY_RANK[quiet.minSeverity]) return false;
  const now = localMinutes(at, quiet.timeZone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  // A window like 22:00–07:00 wraps midnight.
  return start <= end ? now >= start && now < end : now >= start || now < end;
}
