import { expect, test } from '@playwright/test';
import { submitPatiently } from './support/session.js';

test('sign-up: with SIGNUP=open anyone creates a trader account from the sign-in page and is signed in', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create your Pulse account' })).toBeVisible();

  // Mistakes are caught before anything is sent.
  await page.getByLabel('E-mail').fill('new-trader@pulse.test');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(/The password needs at least 12 characters/)).toBeVisible();

  await page.getByLabel('Password', { exact: true }).fill('a quiet river under copper hills');
  await page.getByLabel('Confirm password').fill('a quiet river under copper hills');
  const main = page.getByRole('navigation', { name: 'Main' });
  await submitPatiently(page, () => page.getByRole('button', { name: 'Create account' }).click(), main);
  await expect(page.getByText('new-trader@pulse.test')).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  // Signed in as the new account, which can sign out and back in with the same password.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('E-mail').fill('new-trader@pulse.test');
  await page.getByLabel('Password').fill('a quiet river under copper hills');
  await submitPatiently(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), main);
  await context.close();
});
