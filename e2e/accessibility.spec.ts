import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe.js';
import { signIn } from './support/session.js';

test('the sign-in and dashboard pages have no serious accessibility violations, in both themes', async ({
  page,
}) => {
  await signIn(page);
  await expect(page.getByTestId('price-chart')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.getByTestId('price-chart')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/settings');
  expect(await seriousViolations(page)).toEqual([]);
});
