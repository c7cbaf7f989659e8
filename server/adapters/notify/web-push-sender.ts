import webpush from 'web-push';
import type { ChannelSender, OutgoingNotification } from '../../notify/channel-sender.js';
import { DeliveryError } from '../../notify/delivery-error.js';
import type { ConfigOf } from '../../notify/notify-store.js';
import { postForDelivery } from './http-post.js';

/** VAPID identity: the key pair and a contact (`mailto:` or an https URL) push services may use. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/** What the service worker receives (JSON, encrypted for the subscription). */
export function pushPayload(n: OutgoingNotification): string {
  return JSON.stringify({
    title: n.title,
    body: n.body,
    url: n.url ?? null,
    urgency: n.urgency,
    tag: n.deliveryId,
    createdAt: n.createdAt.toISOString(),
  });
}

/**
 * Web Push with VAPID: web-push builds the encrypted request (aes128gcm, Authorization: vapid …),
 * and our own fetch sends it, with the same timeout and status handling as every other channel.
 * 404 and 410 mean the browser unsubscribed: permanent.
 */
export class WebPushSender implements ChannelSender<'web_push'> {
  constructor(
    private readonly vapid: VapidKeys,
    private readonly ttlSeconds = 24 * 3600,
  ) {}

  async send(config: ConfigOf<'web_push'>, n: OutgoingNotification, signal: AbortSignal): Promise<void> {
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      details = webpush.generateRequestDetails(config.subscription, pushPayload(n), {
        vapidDetails: this.vapid,
        TTL: this.ttlSeconds,
        urgency: n.urgency === 'urgent' ? 'high' : 'normal',
      });
    } catch (error) {
      throw new DeliveryError('permanent', `bad subscription: ${(error as Error).message}`);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(details.headers)) headers[name.toLowerCase()] = String(value);
    await postForDelivery(details.endpoint, { headers, body: details.body ?? new Uint8Array() }, signal);
  }
}

/** A fresh VAPID key pair (URL-safe base64). */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}
