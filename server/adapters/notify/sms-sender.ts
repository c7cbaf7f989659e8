import type { ChannelSender, OutgoingNotification } from '../../notify/channel-sender.js';
import type { ConfigOf } from '../../notify/notify-store.js';
import { postForDelivery } from './http-post.js';

/** One SMS segment set: title, body and link, kept under 480 characters (three segments). */
export function smsText(n: OutgoingNotification): string {
  const text = `${n.title}: ${n.body}${n.url ? ` ${n.url}` : ''}`;
  return text.length > 480 ? `${text.slice(0, 479)}…` : text;
}

/** Sends through a Twilio-compatible Messages API: a form POST of To, From and Body with basic auth. */
export class SmsWebhookSender implements ChannelSender<'sms'> {
  async send(config: ConfigOf<'sms'>, n: OutgoingNotification, signal: AbortSignal): Promise<void> {
    const auth = Buffer.from(`${config.username}:${config.password}`).toString('base64');
    await postForDelivery(
      config.url,
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${auth}` },
        body: new URLSearchParams({ To: config.to, From: config.from, Body: smsText(n) }).toString(),
      },
      signal,
    );
  }
}
