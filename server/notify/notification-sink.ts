import type { Urgency } from '../../contracts/notify.js';
import type { Notifier, NotifyResult } from './notifier.js';

/** Something worth telling a user about: a signal firing, an order fill, an ops alert. */
export interface NotificationRequest {
  userId: string;
  title: string;
  body: string;
  /** A Pulse path such as /signals/42 (made absolute with PUBLIC_URL for external channels). */
  url?: string;
  urgency?: Urgency;
  /** Firings with one key within the dedupe window (10 minutes) notify once. */
  dedupeKey?: string;
  /** Only these channels of the user; all enabled channels when omitted. */
  channelIds?: readonly string[];
}

/** What producers (the signals engine, ops alerting) call; it only records and enqueues. */
export interface NotificationSink {
  deliver(request: NotificationRequest): Promise<NotifyResult>;
}

/** A NotificationSink over the delivery engine. */
export function notificationSink(notifier: Notifier): NotificationSink {
  return {
    deliver: (r) =>
      notifier.notify(
        r.userId,
        { title: r.title, body: r.body, url: r.url, urgency: r.urgency ?? 'normal', dedupeKey: r.dedupeKey },
        r.channelIds,
      ),
  };
}
