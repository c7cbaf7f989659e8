import type { Alert } from '../../../contracts/ops.js';
import type { PulseMetrics } from '../metrics/metrics.js';
import type { AlertEngine } from './alert-engine.js';

type Severity = Alert['severity'];

/** A rule over monitors, metrics or errors. */
export type AlertRule =
  | { id: string; kind: 'monitor_down'; severity: Severity }
  | { id: string; kind: 'new_error_group'; severity: Severity }
  /** A usage budget at or past its warning level (80 % by default); critical once over the limit. */
  | { id: string; kind: 'usage_budget'; severity: Severity }
  | {
      id: string;
      kind: 'latency_p99';
      /** A route pattern as in pulse_http_request_duration_seconds (`/api/v1/orders`). */
      route: string;
      thresholdSeconds: number;
      /** The condition must hold this long before the alert fires. */
      forMs: number;
      severity: Severity;
    }
  | {
      id: string;
      kind: 'error_rate';
      maxRatio: number;
      minRequests: number;
      forMs: number;
      severity: Severity;
    };

/**
 * Monitors down, new error groups, usage budgets past their warning level, 5xx above 5 % for 5 min,
 * and p99 of order placement above 1 s for 5 min.
 */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { id: 'monitor-down', kind: 'monitor_down', severity: 'critical' },
  { id: 'new-error-group', kind: 'new_error_group', severity: 'warning' },
  { id: 'usage-budget', kind: 'usage_budget', severity: 'warning' },
  {
    id: 'error-rate',
    kind: 'error_rate',
    maxRatio: 0.05,
    minRequests: 20,
    forMs: 5 * 60_000,
    severity: 'critical',
  },
  {
    id: 'orders-p99',
    kind: 'latency_p99',
    route: '/api/v1/orders',
    thresholdSeconds: 1,
    forMs: 5 * 60_000,
    severity: 'warning',
  },
];

type Counts = Map<string, number>;

/** The p99 (bucket upper bound) of one window of histogram bucket counts, or undefined without traffic. */
export function p99FromBuckets(buckets: ReadonlyArray<{ le: number; count: number }>): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return undefined;
  return sorted.find((b) => b.count >= 0.99 * total)?.le;
}

/**
 * Evaluates metric rules each tick over the window since the previous tick (counter deltas), and
 * fires once a condition has held for the rule's duration; resolves when it stops holding.
 */
export class MetricRules {
  private previous: { buckets: Counts; requests: Counts } | undefined;
  private readonly breachSince = new Map<string, number>();

  constructor(
    private readonly metrics: PulseMetrics,
    private readonly engine: AlertEngine,
    private readonly rules: readonly AlertRule[],
  ) {}

  async evaluate(now: number): Promise<void> {
    const buckets: Counts = new Map();
    for (const v of (await this.metrics.httpDuration.get()).values) {
      const labels = v.labels as Record<string, string | number | undefined>;
      if (v.metricName?.endsWith('_bucket')) buckets.set(`${labels.route}|${labels.le}`, v.value);
    }
    const requests: Counts = new Map();
    for (const v of (await this.metrics.httpRequests.get()).values)
      requests.set(`${v.labels.method}|${v.labels.route}|${v.labels.status}`, v.value);
    const previous = this.previous;
    this.previous = { buckets, requests };
    if (!previous) return;
    const delta = (now: Counts, before: Counts, key: string) => (now.get(key) ?? 0) - (before.get(key) ?? 0);

    for (const rule of this.rules) {
      if (rule.kind === 'latency_p99') {
        const window: Array<{ le: number; count: number }> = [];
        for (const key of buckets.keys()) {
          const [route, le] = key.split('|');
          if (route === rule.route && le !== undefined)
            window.push({
              le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le),
              count: delta(buckets, previous.buckets, key),
            });
        }
        const p99 = p99FromBuckets(window);
        await this.hold(
          rule,
          p99 !== undefined && p99 > rule.thresholdSeconds,
          now,
          `p99 of ${rule.route} above ${rule.thresholdSeconds * 1000} ms`,
        );
      } else if (rule.kind === 'error_rate') {
        let total = 0;
        let failed = 0;
        for (const key of requests.keys()) {
          const d = delta(requests, previous.requests, key);
          total += d;
          if (key.endsWith('|5') || /\|5\d\d$/.test(key)) failed += d;
        }
        const breached = total >= rule.minRequests && failed / total > rule.maxRatio;
        await this.hold(
          rule,
          breached,
          now,
          `server errors above ${Math.round(rule.maxRatio * 100)} % of requests`,
        );
      }
    }
  }

  private async hold(
    rule: AlertRule & { forMs: number },
    breached: boolean,
    now: number,
    summary: string,
  ): Promise<void> {
    const key = `rule:${rule.id}`;
    if (!breached) {
      this.breachSince.delete(rule.id);
      await this.engine.resolve(key);
      return;
    }
    const since = this.breachSince.get(rule.id) ?? now;
    this.breachSince.set(rule.id, since);
    if (now - since >= rule.forMs)
      await this.engine.fire({ ruleId: rule.id, key, severity: rule.severity, summary });
  }
}
