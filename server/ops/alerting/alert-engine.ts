import crypto from 'node:crypto';
import type { Alert } from '../../../contracts/ops.js';
import type { AlertStore } from '../ops-ports.js';
import { type AlertPolicy, DEFAULT_ALERT_POLICY, isHeldByQuietHours } from './alert-policy.js';
import type { AlertChannel, AlertSink } from './alert-sink.js';

/** What a rule raises. */
export interface AlertInput {
  ruleId: string;
  /** Deduplication key: one firing alert per key (e.g. `monitor:<id>`). */
  key: string;
  severity: Alert['severity'];
  summary: string;
}

export interface AlertEngineOptions {
  store: AlertStore;
  sink: AlertSink;
  policy?: AlertPolicy;
  now?: () => number;
  log?: (error: unknown, message: string) => void;
}

/**
 * Opens, deduplicates, escalates and resolves alerts, and sends notices through the sink:
 * flapping keys and quiet hours hold notices back; acknowledging stops escalation.
 */
export class AlertEngine {
  private readonly policy: AlertPolicy;
  constructor(private readonly options: AlertEngineOptions) {
    this.policy = options.policy ?? DEFAULT_ALERT_POLICY;
  }

  /** Raises an alert; a second raise of a firing key changes nothing. */
  async fire(input: AlertInput): Promise<Alert> {
    const now = this.now();
    const recent = await this.options.store.recentForKey(
      input.key,
      new Date(now - this.policy.flap.windowMs),
    );
    const candidate: Alert = {
      id: crypto.randomUUID(),
      ...input,
      status: 'firing',
      startedAt: new Date(now).toISOString(),
      resolvedAt: null,
      ackedAt: null,
      ackedBy: null,
      escalationLevel: 0,
      notifications: 0,
      suppressed: recent.length >= this.policy.flap.maxOpens,
    };
    const { alert, created } = await this.options.store.open(candidate);
    if (created && !alert.suppressed) return this.notifyFirst(alert, now);
    return alert;
  }

  /** Resolves the firing alert of `key`, if any, and tells the channels that heard of it. */
  async resolve(key: string): Promise<Alert | undefined> {
    const firing = (await this.options.store.firing()).find((a) => a.key === key);
    if (!firing) return undefined;
    const resolved = await this.options.store.update(firing.id, {
      status: 'resolved',
      resolvedAt: new Date(this.now()).toISOString(),
    });
    if (resolved && resolved.notifications > 0 && !resolved.suppressed)
      for (const channel of this.channelsUpTo(resolved.escalationLevel))
        await this.send('resolved', channel, resolved);
    return resolved;
  }

  /** Acknowledges: escalation stops. */
  async acknowledge(id: string, userId: string): Promise<Alert | undefined> {
    const alert = await this.options.store.get(id);
    if (!alert || alert.ackedAt !== null) return alert;
    return this.options.store.update(id, { ackedAt: new Date(this.now()).toISOString(), ackedBy: userId });
  }

  /** Escalates unacknowledged alerts and sends notices quiet hours held back; run it every minute or so. */
  async tick(): Promise<void> {
    const now = this.now();
    for (const alert of await this.options.store.firing()) {
      if (alert.suppressed || alert.ackedAt !== null) continue;
      if (alert.notifications === 0) {
        await this.notifyFirst(alert, now);
        continue;
      }
      const age = now - Date.parse(alert.startedAt);
      const due = this.policy.escalation.findLastIndex((step) => step.afterMs <= age);
      if (due <= alert.escalationLevel || isHeldByQuietHours(this.policy.quietHours, alert.severity, now))
        continue;
      const step = this.policy.escalation[due];
      if (!step) continue;
      const updated = await this.options.store.update(alert.id, {
        escalationLevel: due,
        notifications: alert.notifications + 1,
      });
      if (updated) await this.send('escalated', step.channel, updated);
    }
  }

  private async notifyFirst(alert: Alert, now: number): Promise<Alert> {
    const first = this.policy.escalation[0];
    if (!first || isHeldByQuietHours(this.policy.quietHours, alert.severity, now)) return alert;
    const updated =
      (await this.options.store.update(alert.id, { notifications: alert.notifications + 1 })) ?? alert;
    await this.send('firing', first.channel, updated);
    return updated;
  }

  private channelsUpTo(level: number): AlertChannel[] {
    return [...new Set(this.policy.escalation.slice(0, level + 1).map((s) => s.channel))];
  }

  private async send(
    kind: 'firing' | 'escalated' | 'resolved',
    channel: AlertChannel,
    alert: Alert,
  ): Promise<void> {
    try {
      await this.options.sink.send({ kind, channel, alert });
    } catch (error) {
      this.options.log?.(error, `alert ${kind} notice to ${channel} failed`);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
