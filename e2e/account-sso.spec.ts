import { expect, test } from '@playwright/test';
import { startTestIdp, type TestIdp } from './support/oidc-idp.js';
import { owner, signIn } from './support/session.js';

// playwright.config.ts configures Pulse with this provider (OIDC_PROVIDERS, issuer on port 3199).
const IDP_PORT = 3199;
let idp: TestIdp;

test.beforeAll(async ({ baseURL }) => {
  idp = await startTestIdp([`${baseURL}/api/v1/auth/oidc/idp/callback`], IDP_PORT);
  idp.account('owner-at-idp', { email: 'someone-else@idp.test', emailVerified: true });
});
test.afterAll(async () => {
  await idp.close();
});

test('single sign-on: link a provider account from the profile, then sign in with it', async ({ page }) => {
  await signIn(page);
  // Settings → Sign-in methods → "Link Test IdP" sends the browser to the provider.
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Link Test IdP' }).click();

  // At the provider: its own login form, then its consent screen.
  await page.locator('input[name="login"]').fill('owner-at-idp');
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/settings#linked=idp$/);
  const main = page.getByRole('navigation', { name: 'Main' });
  await expect(main).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: 'Linked: you can now sign in with it.' }),
  ).toBeVisible();
  await expect(page.getByRole('list', { name: 'Linked sign-ins' })).toContainText(
    'Test IdP (someone-else@idp.test)',
  );
  const identities = await (await page.request.get('/api/v1/auth/identities')).json();
  expect(identities).toMatchObject({
    hasPassword: true,
    identities: [{ provider: 'idp', providerName: 'Test IdP' }],
  });

  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  const sso = page.getByRole('link', { name: 'Sign in with Test IdP' });
  await expect(sso).toBeVisible();
  await sso.click();
  // The provider remembers the person and the consent: straight back, signed in as the owner.
  const login = page.locator('input[name="login"]');
  await expect(main.or(login)).toBeVisible();
  if (await login.isVisible()) {
    await login.fill('owner-at-idp');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  }
  await expect(main).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(owner.email);
});
