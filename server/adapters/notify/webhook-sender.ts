import crypto from 'node:crypto';
import type { ChannelSender, OutgoingNotification } from '../../notify/channel-sender.js';
import { postForDelivery } from './http-post.js';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` — what X-Pulse-Signature carries. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Posts the notification as JSON, signed: receivers recompute the HMAC over `X-Pulse-Timestamp` + "." +
 * the raw body with the channel's secret, compare in constant time, and reject old timestamps.
 */
export class WebhookSender implements ChannelSender<'webhook'> {
  constructor(private readonly now: () => number = Date.now) {}

  async send(
    config: { url: string; secret: string },
    n: OutgoingNotification,
    signal: AbortSignal,
  ): Promise<void> {
    const body = JSON.stringify({
      id: n.deliveryId,
      type: 'notification',
      title: n.title,
      body: n.body,
      url: n.url ?? null,
      urgency: n.urgency,
      createdAt: n.createdAt.toISOString(),
    });
    const timestamp = String(Math.floor(this.now() / 1_000));
    await postForDelivery(
      config.url,
      {
        headers: {
          'content-type': 'application/json',
          'x-pulse-delivery': n.deliveryId,
          'x-pulse-timestamp': timestamp,
          'x-pulse-signature': webhookSignature(config.secret, timestamp, body),
        },
        body,
      },
      signal,
    );
  }
}
