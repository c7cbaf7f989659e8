import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { generate } from 'otplib';
import { seriousViolations } from './support/axe.js';
import { signIn, submitPatiently } from './support/session.js';

const user = { email: 'privacy-trader@pulse.test', password: 'amber lighthouse quokka 7319' };

async function signInThroughApp(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  const main = page.getByRole('navigation', { name: 'Main' });
  await submitPatiently(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), main);
}

test('security, connections and privacy settings: TOTP, tokens, sessions, consent, export, deletion', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // The owner creates a trader; the journey is theirs (the last owner may not delete their account).
  await signIn(page);
  const ownerCsrf = ((await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string })
    .csrfToken;
  const created = await page.request.post('/api/v1/users', {
    data: { email: user.email, password: user.password, role: 'trader' },
    headers: { 'x-csrf-token': ownerCsrf },
  });
  expect(created.status()).toBe(201);

  // Two devices: this one and another, to be signed out from here.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signInThroughApp(other);
  const context = await browser.newContext({ acceptDownloads: true });
  const tab = await context.newPage();
  await signInThroughApp(tab);
  const { csrfToken } = (await (await tab.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const list = await tab.request.post('/api/v1/watchlists', {
    data: { name: 'Privacy journey list', symbols: ['AAPL'] },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(list.status()).toBe(201);

  await tab.goto('/settings');
  await expect(tab.getByRole('heading', { name: 'Security', exact: true })).toBeVisible();
  expect(await seriousViolations(tab)).toEqual([]);

  // TOTP: enrol from the page, with the code computed from the key it shows.
  await tab.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await expect(tab.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await tab.getByTestId('totp-secret').textContent()) ?? '';
  await tab.getByLabel('6-digit code').fill(await generate({ secret }));
  await tab.getByRole('button', { name: 'Turn on' }).click();
  await expect(tab.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await expect(tab.getByTestId('mfa-status')).toContainText('On');

  // API token: created, shown once, then revoked.
  await tab.getByLabel('Token name').fill('journey token');
  await tab.getByLabel('Scope').selectOption('trade');
  await tab.getByRole('button', { name: 'Create token' }).click();
  await expect(tab.getByTestId('new-token')).toHaveText(/^pulse_[0-9a-f]{64}$/);
  await tab.getByRole('button', { name: 'Revoke journey token' }).click();
  await expect(tab.getByTestId('token-row').filter({ hasText: 'journey token' })).toContainText('revoked');

  // The other device's session is signed out from here.
  const rows = tab.getByTestId('session-row');
  await expect(rows).toHaveCount(2);
  await rows.getByRole('button', { name: /^Sign out / }).click();
  await expect(rows).toHaveCount(1);
  expect((await other.request.get('/api/v1/auth/me')).status()).toBe(401);
  await otherContext.close();

  // Consent: the diagnostics switch starts at this browser's default; flipping it is recorded on the
  // server (with its time) and followed by this browser.
  const diagnostics = tab.getByLabel(/Send diagnostics/);
  const before = await diagnostics.isChecked();
  await diagnostics.click();
  await expect(diagnostics).toBeChecked({ checked: !before });
  await expect(tab.getByTestId('consent-last-change')).toBeVisible();
  const stored = (await context.storageState()).origins
    .flatMap((o) => o.localStorage)
    .find((e) => e.name === 'pulse.telemetry');
  expect(stored?.value).toBe(before ? 'off' : 'on');
  const consent = (await (await tab.request.get('/api/v1/me/consent')).json()) as {
    analytics: boolean;
    history: { purpose: string; granted: boolean }[];
  };
  expect(consent.analytics).toBe(!before);
  expect(consent.history).toEqual([expect.objectContaining({ purpose: 'analytics', granted: !before })]);

  // Export: one JSON download with the user's e-mail and watchlist.
  const [download] = await Promise.all([
    tab.waitForEvent('download'),
    tab.getByRole('link', { name: 'Download my data' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^pulse-export-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile((await download.path()) ?? '', 'utf8')) as {
    user: { email: string };
    data: { watchlists: { name: string }[]; user_secrets: Record<string, unknown>[] };
  };
  expect(exported.user.email).toBe(user.email);
  expect(exported.data.watchlists.map((w) => w.name)).toContain('Privacy journey list');
  expect(JSON.stringify(exported)).not.toContain('envelope');

  // Deletion: scheduled with the password, then cancelled.
  await tab.getByLabel('Password to confirm').fill(user.password);
  await tab.getByRole('button', { name: 'Delete my account' }).click();
  await expect(tab.getByTestId('deletion-status')).toContainText('will be erased on');
  await tab.getByRole('button', { name: 'Cancel deletion' }).click();
  await expect(tab.getByRole('button', { name: 'Delete my account' })).toBeVisible();
  const status = (await (await tab.request.get('/api/v1/me/delete')).json()) as { scheduled: boolean };
  expect(status.scheduled).toBe(false);

  expect(await seriousViolations(tab)).toEqual([]);
  await context.close();
});

test('the owner sees the users section and platform MFA setting in settings, with no accessibility violations', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByLabel('Require two-factor authentication for everyone')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Create a viewer from the form, then make them a trader; the change survives a reload.
  const users = page.getByRole('table', { name: 'Users' });
  const form = page.getByRole('form', { name: 'Create a user' });
  await form.getByLabel("New user's e-mail").fill('desk-viewer@pulse.test');
  await form.getByLabel('Initial password').fill('a calm harbour of brass lanterns');
  await form.getByLabel('Role').selectOption('viewer');
  await form.getByRole('button', { name: 'Create user' }).click();
  const role = users.getByLabel('Role of desk-viewer@pulse.test');
  await expect(role).toHaveValue('viewer');
  await role.selectOption('trader');
  await expect(role).toHaveValue('trader');
  await page.reload();
  await expect(
    page.getByRole('table', { name: 'Users' }).getByLabel('Role of desk-viewer@pulse.test'),
  ).toHaveValue('trader');
});
