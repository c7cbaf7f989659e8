import type { Alert } from '../../../contracts/ops.js';

/** Where a notice goes: a step of the escalation ladder. */
export type AlertChannel = 'slack' | 'email' | 'sms' | 'webhook' | 'push' | 'log';

/** A notice about an alert: it fired, escalated to another channel, or resolved. */
export interface AlertNotice {
  kind: 'firing' | 'escalated' | 'resolved';
  channel: AlertChannel;
  alert: Alert;
}

/** The port alert delivery goes through (server/notify when present, the log otherwise). */
export interface AlertSink {
  send(notice: AlertNotice): Promise<void>;
}

/** A sink that only logs; alerts are still shown in-app (the admin view lists them). */
export function logAlertSink(log: (fields: Record<string, unknown>, message: string) => void): AlertSink {
  return {
    send: async (notice) =>
      log(
        {
          alert: notice.alert.id,
          key: notice.alert.key,
          severity: notice.alert.severity,
          channel: notice.channel,
        },
        `alert ${notice.kind}: ${notice.alert.summary}`,
      ),
  };
}
