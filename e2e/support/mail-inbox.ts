import { once } from 'node:events';
import { expect } from '@playwright/test';
import { SMTPServer } from 'smtp-server';

/** playwright.config.ts points the server's SMTP_URL here. */
export const SMTP_PORT = 3198;

/** A real SMTP receiver on SMTP_PORT that keeps every message, and reads links out of them. */
export interface MailInbox {
  /** The link to `path` in the latest e-mail to `to`, waiting for it to arrive. */
  linkFor(to: string, path: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the receiver; close it in afterAll (journeys run one at a time, so one port serves them all). */
export async function startMailInbox(): Promise<MailInbox> {
  const inbox: { to: string[]; body: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        // Undo quoted-printable soft line breaks and escapes.
        const body = raw
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        callback();
      });
    },
  });
  smtp.listen(SMTP_PORT, '127.0.0.1');
  await once(smtp.server, 'listening');
  return {
    async linkFor(to, path) {
      const pattern = new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_-]+`);
      let link: string | undefined;
      await expect
        .poll(
          () => {
            const mail = inbox.filter((m) => m.to.includes(to) && pattern.test(m.body)).at(-1);
            link = mail && pattern.exec(mail.body)?.[0];
            return link;
          },
          { timeout: 15_000 },
        )
        .toBeDefined();
      return link ?? '';
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
