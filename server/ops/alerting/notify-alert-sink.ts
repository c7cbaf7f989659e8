import type { NotificationSink } from '../../notify/index.js';
import type { AlertChannel, AlertSink } from './alert-sink.js';

/** The ops recipients and, per user, the ids of their enabled channels of one type. */
export interface AlertRecipients {
  /** Owners and admins. */
  userIds(): Promise<string[]>;
  channelIds(userId: string, type: 'email' | 'slack' | 'webhook' | 'sms' | 'web_push'): Promise<string[]>;
}

const TYPE: Record<AlertChannel, 'email' | 'slack' | 'webhook' | 'sms' | 'web_push' | undefined> = {
  slack: 'slack',
  email: 'email',
  sms: 'sms',
  webhook: 'webhook',
  push: 'web_push',
  log: undefined,
};

/**
 * Delivers alert notices through server/notify: each escalation step goes to every owner's and
 * admin's channels of that type (Slack, then e-mail, then SMS); critical alerts are urgent (they
 * pass the users' own quiet hours). A user without a channel of that type is skipped.
 */
export function notifyAlertSink(
  sink: NotificationSink,
  recipients: AlertRecipients,
  fallback: AlertSink,
): AlertSink {
  return {
    send: async (notice) => {
      const type = TYPE[notice.channel];
      if (type === undefined) return fallback.send(notice);
      const { alert } = notice;
      const verb =
        notice.kind === 'resolved'
          ? 'Resolved'
          : notice.kind === 'escalated'
            ? 'Unacknowledged'
            : alert.severity === 'critical'
              ? 'Critical'
              : 'Alert';
      let delivered = 0;
      for (const userId of await recipients.userIds()) {
        const channelIds = await recipients.channelIds(userId, type);
        if (channelIds.length === 0) continue;
        await sink.deliver({
          userId,
          title: `${verb}: ${alert.summary}`.slice(0, 200),
          body: `${alert.severity} · since ${alert.startedAt}${alert.resolvedAt ? ` · resolved ${alert.resolvedAt}` : ''}`,
          url: '/admin',
          urgency: alert.severity === 'critical' ? 'urgent' : 'normal',
          dedupeKey: `ops:${alert.id}:${notice.kind}:${notice.channel}`,
          channelIds,
        });
        delivered += 1;
      }
      if (delivered === 0) await fallback.send(notice);
    },
  };
}
