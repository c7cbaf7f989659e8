import { expect, test } from '@playwright/test';

const owner = { email: 'owner@pulse.test', password: 'a long enough passphrase' };

// The journeys share one server: the first creates the owner the second signs in as.
test.describe.configure({ mode: 'serial' });

test('first run: create the owner, land on the dashboard and watch the last candle move', async ({
  page,
}) => {
  await page.goto('/');

  await expect(page.getByRole('heading', { name: 'Create the owner account' })).toBeVisible();
  await page.getByLabel('E-mail').fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByLabel('Confirm password').fill(owner.password);
  await page.getByRole('button', { name: 'Create account' }).click();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('banner')).toContainText(owner.email);
  await expect(page.getByRole('heading', { name: 'AAPL' })).toBeVisible();
  await expect(page.getByText('SIMULATED')).toBeVisible();

  const chart = page.getByTestId('price-chart');
  await expect(chart.locator('canvas').first()).toBeVisible({ timeout: 15_000 });

  const lastClose = page.getByTestId('last-close');
  const lastTime = page.getByTestId('last-time');
  await expect(lastClose).toHaveText(/^\d[\d,]*\.\d{2,4}$/);
  const before = { close: await lastClose.textContent(), time: await lastTime.getAttribute('datetime') };

  await expect
    .poll(
      async () => ({ close: await lastClose.textContent(), time: await lastTime.getAttribute('datetime') }),
      { timeout: 20_000, message: 'the last candle never changed' },
    )
    .not.toEqual(before);
});

test('signing in: a wrong password is refused inline, the right one opens the app, sign-out closes it', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Pulse' })).toBeVisible();

  await page.getByLabel('E-mail').fill(owner.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).not.toBeEmpty();

  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Pulse' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in to Pulse' })).toBeVisible();
});

test('the sign-in form stays where it is while the passkey button loads below it', async ({ page }) => {
  // Hold the passkey chunk back until the form has been measured: a form that moved when it arrived would
  // move under a pointer already on its way (a click on "Sign in" landed beside it once, in CI).
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/passkey-sign-in-[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
  await expect(signIn).toBeVisible();
  const before = await signIn.boundingBox();
  release();
  await expect(page.getByRole('button', { name: 'Continue with a passkey' })).toBeVisible();
  expect(await signIn.boundingBox()).toEqual(before);
});
