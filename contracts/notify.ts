import { z } from 'zod';

/** Where a notification can go. */
export const ChannelType = z.enum(['in_app', 'email', 'slack', 'webhook', 'sms', 'web_push']);
export type ChannelType = z.infer<typeof ChannelType>;

/** How pressing a notification is: urgent ones go through quiet hours. */
export const Urgency = z.enum(['normal', 'urgent']);
export type Urgency = z.infer<typeof Urgency>;

/** Where a delivery stands; `held` waits for the end of the user's quiet hours. */
export const DeliveryStatus = z.enum(['queued', 'sending', 'delivered', 'failed', 'dropped', 'held']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

const ChannelName = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');
const HttpUrl = z.url({ protocol: /^https?$/ }).max(2048);
/** A phone number in E.164 form, such as +14155550100. */
const Phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number such as +14155550100');

/** A browser's PushSubscription, as `JSON.stringify(subscription)` gives it. */
export const PushSubscriptionBody = z
  .object({
    endpoint: HttpUrl,
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: z.string().min(1).max(512), auth: z.string().min(1).max(256) }).strict(),
  })
  .strict();
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

/** POST /api/v1/notify/channels: one body per channel type. */
export const CreateChannelBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('in_app'), name: ChannelName.optional() }).strict(),
  z
    .object({
      type: z.literal('email'),
      name: ChannelName.optional(),
      /** Defaults to the account's own address. */
      to: z.email().max(254).optional(),
    })
    .strict(),
  z.object({ type: z.literal('slack'), name: ChannelName.optional(), url: HttpUrl }).strict(),
  z.object({ type: z.literal('webhook'), name: ChannelName.optional(), url: HttpUrl }).strict(),
  z
    .object({
      type: z.literal('sms'),
      name: ChannelName.optional(),
      /** The provider's Twilio-compatible Messages URL. */
      url: HttpUrl,
      username: z.string().min(1).max(256),
      password: z.string().min(1).max(256),
      from: Phone,
      to: Phone,
    })
    .strict(),
  z
    .object({ type: z.literal('web_push'), name: ChannelName.optional(), subscription: PushSubscriptionBody })
    .strict(),
]);
export type CreateChannelBody = z.infer<typeof CreateChannelBody>;

/** PATCH /api/v1/notify/channels/:id. To change where a channel points, delete it and add a new one. */
export const UpdateChannelBody = z
  .object({ name: ChannelName.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.enabled !== undefined, 'send name or enabled');
export type UpdateChannelBody = z.infer<typeof UpdateChannelBody>;

/** A channel as its owner sees it; credentials are never returned. */
export const Channel = z.object({
  id: z.string(),
  type: ChannelType,
  name: z.string(),
  enabled: z.boolean(),
  /** Where it points, shortened so that it identifies without revealing a secret URL. */
  target: z.string(),
  createdAt: z.string(),
});
export type Channel = z.infer<typeof Channel>;

/** The answer to creating a channel: a webhook's signing secret is shown here, once. */
export const CreatedChannel = Channel.extend({ secret: z.string().optional() });
export type CreatedChannel = z.infer<typeof CreatedChannel>;

/** One attempt to notify one channel, from the delivery log. */
export const Delivery = z.object({
  id: z.string(),
  channelId: z.string().nullable(),
  channelType: ChannelType,
  status: DeliveryStatus,
  title: z.string(),
  urgency: Urgency,
  attempts: z.number().int(),
  /** Why it failed, was dropped, or is being retried. */
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deliveredAt: z.string().nullable(),
  /** The next attempt (retry backoff) or the end of quiet hours (held). */
  nextAttemptAt: z.string().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

/** GET /api/v1/notify/deliveries: newest first; page with `before` = the last `createdAt`. */
export const DeliveriesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.iso.datetime({ offset: true }).optional(),
    channelId: z.uuid().optional(),
    status: DeliveryStatus.optional(),
  })
  .strict();
export type DeliveriesQuery = z.infer<typeof DeliveriesQuery>;

/** One in-app notification. */
export const InboxItem = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  url: z.string().nullable(),
  urgency: Urgency,
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export const InboxQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    unread: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();

/** GET /api/v1/notify/inbox. */
export const Inbox = z.object({ items: z.array(InboxItem), unread: z.number().int() });
export type Inbox = z.infer<typeof Inbox>;

/** POST /api/v1/notify/inbox/read: these items, or all of them. */
export const MarkReadBody = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(500) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type MarkReadBody = z.infer<typeof MarkReadBody>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour time such as 22:00');

/** A user's quiet hours: non-urgent deliveries between start and end (local time) wait until end. */
export const QuietHours = z
  .object({
    enabled: z.boolean(),
    /** An IANA time zone such as America/New_York. */
    timeZone: z.string().min(1).max(64),
    start: ClockTime,
    end: ClockTime,
  })
  .strict();
export type QuietHours = z.infer<typeof QuietHours>;

/** GET /api/v1/notify/vapid-public-key: the key a browser's PushManager.subscribe needs. */
export const VapidPublicKey = z.object({ publicKey: z.string() });
