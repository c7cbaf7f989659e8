import { expect, type Locator, test } from '@playwright/test';
import { generate } from 'otplib';
import { createUser, signIn, submitPatiently } from './support/session.js';

const trader = { email: 'mfa-trader@pulse.test', password: 'another long passphrase' };

test('two-step sign-in: a user with TOTP enters a code after the password', async ({ page, browser }) => {
  // The owner creates a trader, who enrols TOTP through the API.
  await signIn(page);
  await createUser(page, trader);

  // The trader signs in through the app (which answers the proof-of-work challenge) and enrols TOTP.
  const context = await browser.newContext();
  const tab = await context.newPage();
  const signInThroughApp = async (expected: Locator) => {
    await tab.goto('/');
    await tab.getByLabel('E-mail').fill(trader.email);
    await tab.getByLabel('Password').fill(trader.password);
    await submitPatiently(tab, () => tab.getByRole('button', { name: 'Sign in' }).click(), expected);
  };
  await signInThroughApp(tab.getByRole('navigation', { name: 'Main' }));
  const { csrfToken } = (await (await tab.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const enrol = await tab.request.post('/api/v1/auth/mfa/totp', { headers: { 'x-csrf-token': csrfToken } });
  expect(enrol.status()).toBe(200);
  const { secret } = (await enrol.json()) as { secret: string };
  const confirm = await tab.request.post('/api/v1/auth/mfa/totp/confirm', {
    data: { code: await generate({ secret }) },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(confirm.status()).toBe(200);
  const { recoveryCodes } = (await confirm.json()) as { recoveryCodes: string[] };
  await tab.getByRole('button', { name: 'Sign out' }).click();

  // Signing in again now asks for the code after the password.
  await signInThroughApp(tab.getByRole('heading', { name: 'Two-step verification' }));
  await expect(tab.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  // The TOTP code just used to confirm cannot be replayed within its window: a recovery code signs in.
  await tab.getByLabel('Authentication code').fill(recoveryCodes[0] ?? '');
  await submitPatiently(
    tab,
    () => tab.getByRole('button', { name: 'Verify' }).click(),
    tab.getByRole('navigation', { name: 'Main' }),
  );
  await expect(tab.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(tab.getByRole('banner')).toContainText(trader.email);
  await context.close();
});
