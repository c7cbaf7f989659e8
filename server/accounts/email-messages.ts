import type { Mailer } from '../ports.js';

/** How long one message may take to hand to the SMTP server. */
export const MAIL_TIMEOUT_MS = 15_000;

/** What the e-mail flows need to send and link. */
export interface EmailFlowDeps {
  mailer: Mailer;
  /** The origin links in e-mails point to (PUBLIC_URL), never taken from a request's Host header. */
  publicUrl: string;
  /** Whether a mail server is configured; without one no address can be verified. */
  mailEnabled: boolean;
  onMailError?: (error: unknown) => void;
}

/** Sends one message with a time limit; failures go to `onMailError`, never to the caller. */
export async function deliver(
  deps: Pick<EmailFlowDeps, 'mailer' | 'onMailError'>,
  message: { to: string; subject: string; text: string },
  timeoutMs = MAIL_TIMEOUT_MS,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      deps.mailer.send(message),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`mail not sent within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return true;
  } catch (error) {
    deps.onMailError?.(error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** A link into the web app. */
export function appLink(publicUrl: string, path: string, token: string): string {
  const url = new URL(path, publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

export function verificationMessage(
  email: string,
  link: string,
): { to: string; subject: string; text: string } {
  return {
    to: email,
    subject: 'Pulse: confirm your e-mail address',
    text: [
      'Confirm that this is your e-mail address for Pulse by opening this link:',
      '',
      link,
      '',
      'The link works once and expires in 48 hours. If you did not create a Pulse account, ignore this e-mail.',
    ].join('\n'),
  };
}

export function resetMessage(email: string, link: string): { to: string; subject: string; text: string } {
  return {
    to: email,
    subject: 'Pulse: reset your password',
    text: [
      'Someone (hopefully you) asked to reset the password of your Pulse account. Choose a new one here:',
      '',
      link,
      '',
      'The link works once and expires in 30 minutes. Resetting signs you out everywhere.',
      'If you did not ask for this, ignore this e-mail: your password stays as it is.',
    ].join('\n'),
  };
}
