import { expect, type Page } from '@playwright/test';

/** The owner every journey signs in as (created by whichever spec runs first on a fresh server). */
export const owner = { email: 'owner@pulse.test', password: 'a long enough passphrase' };

/** Signs in as the owner, creating the account when this spec runs on a fresh server. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  const setup = page.getByRole('heading', { name: 'Create the owner account' });
  const signInHeading = page.getByRole('heading', { name: 'Sign in to Pulse' });
  await expect(setup.or(signInHeading)).toBeVisible();
  if (await setup.isVisible()) {
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByLabel('Confirm password').fill(owner.password);
    await page.getByRole('button', { name: 'Create account' }).click();
  } else {
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}
