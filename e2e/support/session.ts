import { expect, type Locator, type Page } from '@playwright/test';

/** The owner every journey signs in as (created by whichever spec runs first on a fresh server). */
export const owner = { email: 'owner@pulse.test', password: 'a long enough passphrase' };

/**
 * Clicks `submit` until `done` shows. Sign-in is rate-limited per IP and every journey shares
 * 127.0.0.1, so when the app says "Too many requests; retry in N s", wait N s as a person would.
 */
export async function submitPatiently(page: Page, submit: () => Promise<void>, done: Locator): Promise<void> {
  const limited = page.getByRole('alert').filter({ hasText: /Too many requests; retry in \d+ s/ });
  for (let attempt = 0; attempt < 6; attempt += 1) {
    await submit();
    const outcome = await Promise.race([
      done.waitFor({ timeout: 15_000 }).then(
        () => 'done' as const,
        () => 'timeout' as const,
      ),
      limited.waitFor({ timeout: 15_000 }).then(
        () => 'limited' as const,
        () => 'timeout' as const,
      ),
    ]);
    if (outcome !== 'limited') break;
    const seconds = Number(/retry in (\d+) s/.exec((await limited.textContent()) ?? '')?.[1] ?? 5);
    // A sign-in may take two requests (the first answered with a proof-of-work challenge).
    await page.waitForTimeout(seconds * 1000 + 3_500);
  }
  await expect(done).toBeVisible();
}

/** Signs in as the owner, creating the account when this spec runs on a fresh server. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  const setup = page.getByRole('heading', { name: 'Create the owner account' });
  const signInHeading = page.getByRole('heading', { name: 'Sign in to Pulse' });
  await expect(setup.or(signInHeading)).toBeVisible();
  const main = page.getByRole('navigation', { name: 'Main' });
  if (await setup.isVisible()) {
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByLabel('Confirm password').fill(owner.password);
    await page.getByRole('button', { name: 'Create account' }).click();
  } else {
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await submitPatiently(
      page,
      () => page.getByRole('button', { name: 'Sign in', exact: true }).click(),
      main,
    );
  }
  await expect(main).toBeVisible();
}

/** The owner (signed in on `page`) creates a user through the API; fails the test unless it is created. */
export async function createUser(
  page: Page,
  user: { email: string; password: string },
  role: 'admin' | 'trader' | 'viewer' = 'trader',
): Promise<void> {
  const { csrfToken } = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const created = await page.request.post('/api/v1/users', {
    data: { email: user.email, password: user.password, role },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(created.status()).toBe(201);
}
