import type { Channel, Delivery, InboxItem } from '../../../contracts/notify.js';
import { channelTarget } from '../../notify/channels.js';
import type { ChannelRecord, DeliveryRecord, InboxRecord } from '../../notify/notify-store.js';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** A channel as its owner sees it: where it points, never its credentials. */
export function presentChannel(c: ChannelRecord): Channel {
  return {
    id: c.id,
    type: c.config.type,
    name: c.name,
    enabled: c.enabled,
    target: channelTarget(c.config),
    createdAt: c.createdAt.toISOString(),
  };
}

/** A delivery-log entry. */
export function presentDelivery(d: DeliveryRecord): Delivery {
  return {
    id: d.id,
    channelId: d.channelId,
    channelType: d.channelType,
    status: d.status,
    title: d.title,
    urgency: d.urgency,
    attempts: d.attempts,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    deliveredAt: iso(d.deliveredAt),
    nextAttemptAt: iso(d.nextAttemptAt),
  };
}

/** An in-app notification. */
export function presentInboxItem(i: InboxRecord): InboxItem {
  return {
    id: i.id,
    title: i.title,
    body: i.body,
    url: i.url,
    urgency: i.urgency,
    createdAt: i.createdAt.toISOString(),
    readAt: iso(i.readAt),
  };
}
