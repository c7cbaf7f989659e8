import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './support/session.js';

test('the owner sees usage against budgets on the Admin screen and sets a budget', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin');
  const usage = page.getByRole('region', { name: 'Usage' });
  await expect(usage).toBeVisible();
  await expect(usage.getByText(/users · active/)).toBeVisible();
  const orders = usage.getByRole('row', { name: /^Orders today/ });
  await expect(orders).toContainText('no budget');
  const alpaca = usage.getByRole('row', { name: /^Alpaca market data calls \/ min/ });
  await expect(alpaca.getByRole('cell').nth(1)).toHaveText('200');

  await usage.getByRole('combobox', { name: /^Budget/ }).selectOption({ label: 'Orders today' });
  await usage.getByLabel('Limit (empty: none)').fill('5');
  await usage.getByRole('button', { name: 'Save budget' }).click();
  await expect(orders.getByRole('cell').nth(1)).toHaveText('5');
  await expect(orders.getByRole('meter')).toBeVisible();
  await expect(orders).toContainText('0 %');

  const axe = await new AxeBuilder({ page })
    .include('section[aria-labelledby="admin-usage"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
});
