import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { signIn } from './support/session.js';

/** Serious and critical WCAG 2.1 A/AA violations on a page, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

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
