import type { ChannelType, DeliveryStatus, QuietHours, Urgency } from '../../contracts/notify.js';

/** A browser push subscription (endpoint plus the keys its payload is encrypted for). */
export interface PushSubscriptionRecord {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Where a channel points, with its credentials; `type` decides the shape. */
export type ChannelConfig =
  | { type: 'in_app' }
  | { type: 'email'; to: string }
  | { type: 'slack'; url: string }
  | { type: 'webhook'; url: string; secret: string }
  | { type: 'sms'; url: string; username: string; password: string; from: string; to: string }
  | { type: 'web_push'; subscription: PushSubscriptionRecord };

/** The config of one channel type. */
export type ConfigOf<T extends ChannelType> = Extract<ChannelConfig, { type: T }>;

/** A stored channel. */
export interface ChannelRecord {
  id: string;
  userId: string;
  name: string;
  enabled: boolean;
  config: ChannelConfig;
  createdAt: Date;
}

/** What is being said. */
export interface NotificationMessage {
  title: string;
  body: string;
  /** A Pulse path such as /signals/42, or an absolute URL. */
  url?: string | undefined;
  urgency: Urgency;
  /** Repeats of this key within the dedupe window are dropped before any delivery is made. */
  dedupeKey?: string | undefined;
}

/** One message to one channel, and how far it got. */
export interface DeliveryRecord {
  id: string;
  userId: string;
  channelId: string | null;
  channelType: ChannelType;
  status: DeliveryStatus;
  title: string;
  body: string;
  url: string | null;
  urgency: Urgency;
  dedupeKey: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

/** A change of a delivery's state. */
export type DeliveryPatch = Partial<
  Pick<DeliveryRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'deliveredAt'>
>;

/** A stored in-app notification. */
export interface InboxRecord {
  id: string;
  userId: string;
  deliveryId: string | null;
  title: string;
  body: string;
  url: string | null;
  urgency: Urgency;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * Where channel credentials are sealed at rest: the accounts SecretVault (envelope encryption under
 * the master key, re-wrapped by `pulse` key rotation) satisfies it.
 */
export interface ChannelSecretVault {
  put(
    userId: string,
    kind: string,
    plaintext: string,
    meta: Record<string, string>,
    now: Date,
  ): Promise<void>;
  get(userId: string, kind: string): Promise<{ plaintext: string } | undefined>;
  delete(userId: string, kind: string): Promise<boolean>;
}

/** Channels, deliveries, the in-app inbox and quiet hours. Per-user reads are scoped to their owner. */
export interface NotifyStore {
  listChannels(userId: string): Promise<ChannelRecord[]>;
  getChannel(userId: string, id: string): Promise<ChannelRecord | undefined>;
  /** Any user's channel, for the delivery engine. */
  findChannel(id: string): Promise<ChannelRecord | undefined>;
  insertChannel(channel: ChannelRecord): Promise<void>;
  updateChannel(userId: string, id: string, patch: { name?: string; enabled?: boolean }): Promise<boolean>;
  deleteChannel(userId: string, id: string): Promise<boolean>;

  insertDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void>;
  updateDelivery(id: string, patch: DeliveryPatch, at: Date): Promise<void>;
  getDelivery(userId: string, id: string): Promise<DeliveryRecord | undefined>;
  listDeliveries(
    userId: string,
    query: { limit: number; before?: Date; channelId?: string; status?: DeliveryRecord['status'] },
  ): Promise<DeliveryRecord[]>;
  /** Queued or interrupted (sending) deliveries, oldest first, skipping `except`. */
  resumable(limit: number, except: ReadonlySet<string>): Promise<DeliveryRecord[]>;
  /** Moves held deliveries whose time has come to queued, and returns them. */
  releaseHeld(now: Date, limit: number): Promise<DeliveryRecord[]>;
  /** Whether the user was sent a message with this dedupe key since `since`. */
  hasDedupeKey(userId: string, dedupeKey: string, since: Date): Promise<boolean>;

  /** Adds an inbox item; a second item for the same delivery is ignored (retries stay single). */
  insertInboxItem(item: InboxRecord): Promise<void>;
  listInbox(userId: string, query: { limit: number; unreadOnly: boolean }): Promise<InboxRecord[]>;
  unreadCount(userId: string): Promise<number>;
  markRead(userId: string, ids: readonly string[] | 'all', at: Date): Promise<void>;

  getQuietHours(userId: string): Promise<QuietHours | undefined>;
  setQuietHours(userId: string, quietHours: QuietHours): Promise<void>;
}
