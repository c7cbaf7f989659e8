import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { ChannelSender, OutgoingNotification } from '../../notify/channel-sender.js';
import { DeliveryError } from '../../notify/delivery-error.js';

/** SMTP settings: SMTP_URL (`smtp://user:pass@host:587`, or `smtps://` for implicit TLS) and SMTP_FROM. */
export interface SmtpOptions {
  url: string;
  from: string;
  /** Connection, greeting and socket timeouts. */
  timeoutMs?: number;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** The e-mail for one notification: plain text plus an equivalent minimal HTML part. */
export function emailContent(n: OutgoingNotification): { subject: string; text: string; html: string } {
  const subject = `${n.urgency === 'urgent' ? '[Urgent] ' : ''}${n.title}`;
  const text = `${n.body}${n.url ? `\n\n${n.url}` : ''}\n\n— Pulse`;
  const link = n.url ? `<p><a href="${escapeHtml(n.url)}">Open in Pulse</a></p>` : '';
  const html = `<p><strong>${escapeHtml(n.title)}</strong></p><p>${escapeHtml(n.body).replaceAll('\n', '<br>')}</p>${link}`;
  return { subject, text, html };
}

/** SMTP replies 5xx and auth or envelope errors are permanent; 4xx and connection trouble are transient. */
function classify(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const message = e.message ?? String(error);
  if (typeof e.responseCode === 'number')
    return new DeliveryError(
      e.responseCode >= 500 ? 'permanent' : 'transient',
      `SMTP ${e.responseCode}: ${message}`,
    );
  if (e.code === 'EAUTH' || e.code === 'EENVELOPE') return new DeliveryError('permanent', message);
  return new DeliveryError('transient', message);
}

/** Sends e-mail over SMTP with nodemailer. */
export class SmtpEmailSender implements ChannelSender<'email'> {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly options: SmtpOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      url: options.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(config: { to: string }, n: OutgoingNotification, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new DeliveryError('transient', 'timed out');
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: config.to,
        ...emailContent(n),
        headers: { 'X-Pulse-Delivery': n.deliveryId, 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      throw classify(error);
    }
  }

  /** Closes pooled connections. */
  close(): void {
    this.transport.close();
  }
}
