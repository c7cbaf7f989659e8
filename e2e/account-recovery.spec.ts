import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe.js';
import { type MailInbox, startMailInbox } from './support/mail-inbox.js';
import { signIn, submitPatiently } from './support/session.js';

const trader = { email: 'recovery-trader@pulse.test', password: 'first long passphrase 31' };
const newPassword = 'second quite different passphrase 58';

// The server's e-mails arrive at this real SMTP receiver.
let inbox: MailInbox;
test.beforeAll(async () => {
  inbox = await startMailInbox();
});
test.afterAll(async () => {
  await inbox.close();
});

const linkFor = (to: string, path: string) => inbox.linkFor(to, path);

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
