import type { FastifyBaseLogger } from 'fastify';
import { AlertEngine } from './alerting/alert-engine.js';
import type { AlertPolicy } from './alerting/alert-policy.js';
import { type AlertRule, DEFAULT_ALERT_RULES, MetricRules } from './alerting/alert-rules.js';
import { type AlertSink, logAlertSink } from './alerting/alert-sink.js';
import { IntakeQueue } from './intake/intake-queue.js';
import { SourceMapResolver } from './intake/source-map.js';
import type { PulseMetrics } from './metrics/metrics.js';
import { MonitorRunner, type MonitorTransition } from './monitors/monitor-runner.js';
import {
  type AlertStore,
  type IncidentStore,
  type LeaderLock,
  type MonitorContext,
  type MonitorStore,
  soleLeader,
  type TelemetryStore,
} from './ops-ports.js';
import type { UsageService } from './usage/usage-service.js';

/** What the ops features need from the composition root. */
export interface OpsDeps {
  monitors: MonitorStore;
  incidents: IncidentStore;
  telemetry: TelemetryStore;
  alerts: AlertStore;
  /** Leadership for monitors, alert evaluation and retention; the sole node when omitted (PGlite). */
  lock?: LeaderLock;
  /** Alert delivery; log-only (alerts still show in-app) when omitted. */
  sink?: AlertSink;
  policy?: AlertPolicy;
  rules?: readonly AlertRule[];
  /** The built web app, whose hidden source maps map browser stack traces. */
  webRoot?: string;
  /** Named heartbeats for `heartbeat` monitors (e.g. the signals engine). */
  heartbeats?: ReadonlyMap<string, () => number | undefined>;
  /** The market clock; wall clock when omitted. */
  marketNow?: () => number;
  leaderPollMs?: number;
  alertTickMs?: number;
  intake?: { capacity?: number; flushEveryMs?: number };
  /** Usage and cost: measured each tick (gauges), budgets alerted on by the leader. */
  usage?: UsageService;
}

/** The running ops features: monitors, alerting and the telemetry intake, with one lifecycle. */
export class OpsRuntime {
  readonly runner: MonitorRunner;
  readonly alerts: AlertEngine;
  readonly intake: IntakeQueue;
  readonly sourceMaps: SourceMapResolver | undefined;
  private readonly metricRules: MetricRules;
  private readonly rules: readonly AlertRule[];
  private tickTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    readonly deps: OpsDeps,
    parts: {
      metrics: PulseMetrics;
      live: { isConnected(): boolean; latestTrade(symbol: string): { t: number } | undefined };
      log: FastifyBaseLogger;
    },
  ) {
    const log = (error: unknown, message: string) => parts.log.error({ err: error }, message);
    this.rules = deps.rules ?? DEFAULT_ALERT_RULES;
    this.alerts = new AlertEngine({
      store: deps.alerts,
      sink: deps.sink ?? logAlertSink((fields, message) => parts.log.warn(fields, message)),
      ...(deps.policy && { policy: deps.policy }),
      log,
    });
    const context: MonitorContext = {
      marketNow: deps.marketNow ?? Date.now,
      feedConnected: () => parts.live.isConnected(),
      lastTradeAt: (symbol) => parts.live.latestTrade(symbol)?.t,
      heartbeats: deps.heartbeats ?? new Map(),
    };
    this.runner = new MonitorRunner({
      store: deps.monitors,
      lock: deps.lock ?? soleLeader,
      context,
      log,
      onTransition: (t) =>
        void this.onTransition(t).catch((error: unknown) =>
          log(error, 'alerting on a monitor change failed'),
        ),
      ...(deps.leaderPollMs !== undefined && { leaderPollMs: deps.leaderPollMs }),
    });
    this.sourceMaps = deps.webRoot === undefined ? undefined : new SourceMapResolver(deps.webRoot);
    const newErrorRule = this.rules.find((r) => r.kind === 'new_error_group');
    this.intake = new IntakeQueue({
      store: deps.telemetry,
      ...deps.intake,
      log,
      onNewErrorGroups: (fingerprints, samples) => {
        if (!newErrorRule || !this.runner.isLeader) return;
        for (const fp of fingerprints) {
          const sample = samples.find((s) => s.fingerprint === fp);
          void this.alerts.fire({
            ruleId: newErrorRule.id,
            key: `error:${fp}`,
            severity: newErrorRule.severity,
            summary: `New ${sample?.source ?? ''} error: ${sample?.type ?? 'Error'}: ${(sample?.message ?? '').slice(0, 160)}`,
          });
        }
      },
    });
    this.metricRules = new MetricRules(parts.metrics, this.alerts, this.rules);
    parts.metrics.total(
      'intake_accepted',
      'Browser and server error and vitals reports queued.',
      () => this.intake.counters.accepted.error + this.intake.counters.accepted.vital,
    );
    parts.metrics.labelled(
      'intake_dropped_total',
      'Reports dropped because the intake queue was full.',
      ['kind'],
      () => [
        [{ kind: 'error' }, this.intake.counters.dropped.error],
        [{ kind: 'vital' }, this.intake.counters.dropped.vital],
      ],
    );
    parts.metrics.gauge('intake_queue_depth', 'Reports waiting to be written.', () => this.intake.depth);
    deps.usage?.registerMetrics(parts.metrics);
    parts.metrics.gauge('ops_leader', 'Whether this node runs monitors and alerting (1) or not (0).', () =>
      this.runner.isLeader ? 1 : 0,
    );
  }

  get alertRules(): readonly AlertRule[] {
    return this.rules;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.intake.start();
    await this.runner.start();
    this.tickTimer = setInterval(() => void this.tick(), this.deps.alertTickMs ?? 60_000);
    this.tickTimer.unref();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    clearInterval(this.tickTimer);
    await this.runner.stop();
    await this.intake.stop();
  }

  /** One alerting pass: metric rules and escalation (leader only). */
  async tick(now = Date.now()): Promise<void> {
    const usage = await this.deps.usage?.report().catch(() => undefined);
    if (!this.runner.isLeader) return;
    try {
      await this.metricRules.evaluate(now);
      const usageRule = this.rules.find((r) => r.kind === 'usage_budget');
      if (usage && usageRule && this.deps.usage) {
        const firing = new Set((await this.deps.alerts.firing()).map((a) => a.key));
        await this.deps.usage.evaluate(usage, this.alerts, usageRule, firing);
      }
      await this.alerts.tick();
    } catch {
      // The next tick tries again; a failing store is reported by /readyz.
    }
  }

  private async onTransition(t: MonitorTransition): Promise<void> {
    const rule = this.rules.find((r) => r.kind === 'monitor_down');
    if (!rule) return;
    const key = `monitor:${t.monitor.id}`;
    if (t.event === 'down')
      await this.alerts.fire({
        ruleId: rule.id,
        key,
        severity: rule.severity,
        summary: `${t.monitor.name} is down: ${t.detail}`,
      });
    else await this.alerts.resolve(key);
  }
}
