import { once } from 'node:events';
import { expect, test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { seriousViolations } from './support/axe.js';
import { signIn, submitPatiently } from './support/session.js';

// playwright.config.ts points the server's SMTP_URL here; this spec runs the real SMTP receiver.
const SMTP_PORT = 3198;
const trader = { email: 'recovery-trader@pulse.test', password: 'first long passphrase 31' };
const newPassword = 'second quite different passphrase 58';

interface Mail {
  to: string[];
  body: string;
}

const inbox: Mail[] = [];
let smtp: SMTPServer;

test.beforeAll(async () => {
  smtp = new SMTPServer({
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
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** The link to `path` in the latest e-mail to `to`, waiting for it to arrive. */
async function linkFor(to: string, path: string): Promise<string> {
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
  return link!;
}

test('forgot password: the e-mailed link sets a new password, which then signs in', async ({
  page,
  browser,
}) => {
  await signIn(page);
  const { csrfToken } = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const created = await page.request.post('/api/v1/users', {
    data: { email: trader.email, password: trader.password, role: 'trader' },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(created.status()).toBe(201);

  const context = await browser.newContext();
  const tab = await context.newPage();

  // A new user is sent a verification link; opening it confirms the address.
  const verifyLink = new URL(await linkFor(trader.email, '/verify-email'));
  await tab.goto(`${verifyLink.pathname}${verifyLink.search}`);
  await expect(tab.getByRole('heading', { name: 'E-mail address confirmed' })).toBeVisible();

  await tab.goto('/');
  await tab.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(tab.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await tab.getByLabel('E-mail').fill(trader.email);
  await submitPatiently(
    tab,
    () => tab.getByRole('button', { name: 'Send reset link' }).click(),
    tab.getByRole('heading', { name: 'Check your e-mail' }),
  );

  const resetLink = new URL(await linkFor(trader.email, '/reset-password'));
  await tab.goto(`${resetLink.pathname}${resetLink.search}`);
  await expect(tab.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  expect(await seriousViolations(tab)).toEqual([]);
  await tab.getByLabel('New password', { exact: true }).fill(newPassword);
  await tab.getByLabel('Repeat the new password').fill(newPassword);
  await submitPatiently(
    tab,
    () => tab.getByRole('button', { name: 'Set new password' }).click(),
    tab.getByRole('heading', { name: 'Password changed' }),
  );

  // The link works once.
  const again = await tab.request.post('/api/v1/auth/password/reset', {
    data: { token: resetLink.searchParams.get('token'), password: 'yet another passphrase 904' },
  });
  expect(again.status()).toBe(410);
  expect(((await again.json()) as { code: string }).code).toBe('AUTH_EMAIL_TOKEN_USED');

  await tab.getByRole('link', { name: 'Sign in', exact: true }).click();
  await tab.getByLabel('E-mail').fill(trader.email);
  await tab.getByLabel('Password').fill(newPassword);
  const main = tab.getByRole('navigation', { name: 'Main' });
  await submitPatiently(tab, () => tab.getByRole('button', { name: 'Sign in', exact: true }).click(), main);
  await expect(tab.getByRole('banner')).toContainText(trader.email);
  await context.close();
});
