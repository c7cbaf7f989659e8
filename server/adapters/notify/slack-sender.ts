import type { ChannelSender, OutgoingNotification } from '../../notify/channel-sender.js';
import { postForDelivery } from './http-post.js';

/** Slack's mrkdwn escaping: only &, < and > are special. */
function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The incoming-webhook body for one notification: a fallback `text` plus blocks. */
export function slackPayload(n: OutgoingNotification): Record<string, unknown> {
  const prefix = n.urgency === 'urgent' ? ':rotating_light: ' : '';
  const link = n.url ? `\n<${n.url}|Open in Pulse>` : '';
  const text = `${prefix}*${escape(n.title)}*\n${escape(n.body)}${link}`;
  return {
    text: `${prefix}${n.title}: ${n.body}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/** Posts to a Slack incoming webhook. */
export class SlackSender implements ChannelSender<'slack'> {
  async send(config: { url: string }, n: OutgoingNotification, signal: AbortSignal): Promise<void> {
    await postForDelivery(
      config.url,
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackPayload(n)) },
      signal,
    );
  }
}
