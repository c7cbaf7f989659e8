import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { createUser, signIn, submitPatiently } from './support/session.js';

const trader = { email: 'passkey-trader@pulse.test', password: 'amber lantern over quiet harbour' };
// Browsers refuse IP addresses as passkey relying parties: this journey uses the server by host name.
const origin = 'http://localhost:3197';

/** A platform authenticator with user verification, answering every prompt by itself (Chromium's CDP). */
async function addVirtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

test('passkeys: add one in Settings, sign in with it alone, use it as the second step, remove it', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // The owner creates a trader for this journey.
  await signIn(page);
  await createUser(page, trader);

  const context = await browser.newContext();
  const tab = await context.newPage();
  await addVirtualAuthenticator(context, tab);
  const main = tab.getByRole('navigation', { name: 'Main' });
  const signInWithPassword = async (expected = main, navigate = true) => {
    if (navigate) await tab.goto(`${origin}/`);
    await tab.getByLabel('E-mail').fill(trader.email);
    await tab.getByLabel('Password').fill(trader.password);
    await submitPatiently(
      tab,
      () => tab.getByRole('button', { name: 'Sign in', exact: true }).click(),
      expected,
    );
  };
  await signInWithPassword();

  // Add a passkey: the virtual authenticator answers; recovery codes show once; two-factor is on.
  await tab.goto(`${origin}/settings`);
  await tab.getByLabel('Passkey name').fill('E2E laptop');
  await tab.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(tab.getByRole('list', { name: 'Passkey recovery codes' }).getByRole('listitem')).toHaveCount(
    10,
  );
  const passkeys = tab.getByRole('table', { name: 'Your passkeys' });
  await expect(passkeys.getByRole('row')).toHaveCount(2);
  await expect(passkeys).toContainText('E2E laptop');
  await expect(passkeys).toContainText('never');
  await expect(tab.getByTestId('mfa-status')).toContainText('On');
  await tab.getByRole('button', { name: 'Sign out' }).click();
  await expect(tab.getByRole('heading', { name: 'Sign in to Pulse' })).toBeVisible();

  // Sign in with the passkey alone: no e-mail, no password.
  await submitPatiently(
    tab,
    () => tab.getByRole('button', { name: 'Continue with a passkey' }).click(),
    main,
  );
  await tab.getByRole('button', { name: 'Sign out' }).click();
  await expect(tab.getByRole('heading', { name: 'Sign in to Pulse' })).toBeVisible();

  // With a password, the second step is the passkey.
  await signInWithPassword(tab.getByRole('heading', { name: 'Two-step verification' }), false);
  await submitPatiently(tab, () => tab.getByRole('button', { name: 'Use a passkey' }).click(), main);

  // Remove it with the password: two-factor goes off again.
  await tab.goto(`${origin}/settings`);
  await expect(passkeys).not.toContainText('never');
  await tab.getByLabel('Password to remove E2E laptop').fill(trader.password);
  await passkeys.getByRole('button', { name: 'Remove' }).click();
  await expect(tab.getByText('No passkeys yet.')).toBeVisible();
  await context.close();
});
