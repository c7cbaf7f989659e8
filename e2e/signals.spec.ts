import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe.js';
import { signIn } from './support/session.js';

test('signals: a rule with a typo shows a live error, previews once fixed and is saved; a channel test-sends; a backtest reports', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Signals' }).click();
  await expect(page.getByRole('tab', { name: 'Signals', selected: true })).toBeVisible();

  // A new signal: a typo in the rule is reported as you type, at its line and column.
  await page.getByRole('button', { name: 'New signal' }).click();
  const editor = page.getByRole('region', { name: 'New signal' });
  await expect(editor.getByRole('heading', { name: 'New signal' })).toBeFocused();
  await editor.getByLabel('Name', { exact: true }).fill('Above the average');
  const rule = editor.getByLabel('Rule', { exact: true });
  await rule.fill('close > smaa(close, 20)');
  const problems = editor.getByTestId('rule-problems');
  await expect(problems).toContainText("Line 1, column 9: unknown function 'smaa' — did you mean 'sma'?");
  await expect(rule).toHaveAttribute('aria-invalid', 'true');
  await expect(rule).toHaveAccessibleDescription(/Line 1, column 9/);
  // The highlighted layer underlines exactly the misspelt name; screen readers hear it once typing pauses.
  await expect(editor.locator('.tok-flagged')).toHaveText(['smaa']);
  await expect(editor.getByRole('status').filter({ hasText: 'Rule: Line 1, column 9' })).toBeAttached();
  await expect(editor.getByTestId('preview-summary')).toHaveText(
    'Fix the rule to see where it would have fired.',
  );

  // A syntax error says what was expected.
  await rule.fill('close > sma(close 20)');
  await expect(problems).toContainText("Line 1, column 19: expected ')' after the arguments of sma");
  await expect(problems).toContainText("(expected ')' or ',')");

  // Fixed: no problem left, and the preview shows where it would have fired on recent bars.
  await rule.fill('close > sma(close, 20)');
  await expect(problems).toHaveCount(0);
  await expect(rule).not.toHaveAttribute('aria-invalid');
  await expect(editor.locator('.tok-function')).toHaveText(['sma']);
  const summary = editor.getByTestId('preview-summary');
  await expect(summary).toHaveText(
    /^Would have fired [1-9]\d* times? over the last \d+ closed 1Min bars of AAPL\.$/,
    { timeout: 20_000 },
  );
  const preview = editor.getByTestId('preview-chart');
  await expect(preview.locator('canvas').first()).toBeVisible();
  await expect(preview).not.toHaveAttribute('data-markers', '0');
  expect(await seriousViolations(page)).toEqual([]);

  await editor.getByRole('button', { name: 'Create signal' }).click();
  await expect(editor).toHaveCount(0);
  const row = page.getByTestId('signal-Above the average');
  await expect(row).toContainText('close > sma(close, 20)');
  await expect(row).toContainText('AAPL');
  await expect(row).toContainText('Each time it becomes true');
  await expect(row.getByRole('checkbox', { name: 'Enabled: Above the average' })).toBeChecked();
  await expect(row.getByTestId('last-fired')).not.toHaveText('…');

  // Disabling sticks across a reload.
  const enabled = row.getByRole('checkbox', { name: 'Enabled: Above the average' });
  await enabled.click();
  await expect(enabled).not.toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: 'Above the average disabled.' })).toBeAttached();
  await page.reload();
  await expect(enabled).not.toBeChecked();
  await enabled.click();
  await expect(enabled).toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: 'Above the average enabled.' })).toBeAttached();

  // The tabs follow the arrow keys.
  await page.getByRole('tab', { name: 'Signals' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Alert history' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Alert history', selected: true })).toBeVisible();

  // Channels.
  await page.getByRole('tab', { name: 'Channels' }).click();
  await expect(page).toHaveURL(/\/signals\?tab=channels$/);
  // Every account has its in-app channel (one only, so the form does not offer another): rename it, test it.
  const add = page.getByRole('region', { name: 'Add a channel' });
  await expect(add.getByLabel('Type').locator('option')).toHaveText(['E-mail', 'Slack', 'Webhook', 'SMS']);
  await page.getByRole('button', { name: 'Rename In-app' }).click();
  await page.getByLabel('New name for In-app').fill('Desk');
  await page.getByLabel('New name for In-app').press('Enter');
  const channel = page.getByTestId('channel-Desk');
  await expect(channel).toContainText('In-app');
  await channel.getByRole('button', { name: 'Send a test to Desk' }).click();
  await expect(channel.getByTestId('delivery-status')).toHaveText('delivered', { timeout: 20_000 });

  // A webhook: its signing secret is shown once; a test to a host that does not exist does not deliver.
  await add.getByLabel('Type').selectOption('webhook');
  await add.getByLabel('Channel name').fill('Hook');
  await add.getByLabel('Webhook URL').fill('https://hooks.pulse.invalid/pulse-hook');
  await add.getByRole('button', { name: 'Add channel' }).click();
  await expect(add.getByTestId('webhook-secret')).toHaveText(/\S{16,}/);
  const hook = page.getByTestId('channel-Hook');
  await expect(hook).toContainText('Webhook');
  await expect(hook).toContainText('hooks.pulse.invalid/…hook');
  await hook.getByRole('button', { name: 'Send a test to Hook' }).click();
  await expect(hook.getByTestId('delivery-status')).toHaveText(/^(queued|failed)$/, { timeout: 30_000 });
  await expect(hook.getByTestId('test-result')).not.toHaveText(/^(queued|failed)$/);
  expect(await seriousViolations(page)).toEqual([]);

  // The delivery shows in the alert history's delivery log.
  await page.getByRole('tab', { name: 'Alert history' }).click();
  await page.getByLabel('Only Above the average').uncheck();
  const deliveries = page.getByRole('table', { name: 'Deliveries' });
  await expect(deliveries.getByRole('row').filter({ hasText: 'Desk' }).first()).toContainText('delivered');
  // Its address does not resolve, so it is never delivered; a retry may be under way when the log is read.
  await expect(deliveries.getByRole('row').filter({ hasText: 'Hook' }).first()).toContainText(
    /queued|sending|failed/,
  );

  // Backtests: a small run, its metrics and trades.
  await page.getByRole('tab', { name: 'Backtests' }).click();
  const form = page.getByRole('region', { name: 'New backtest' });
  await form.getByLabel('Symbol', { exact: true }).fill('AAPL');
  await form.getByLabel('Timeframe', { exact: true }).selectOption('1Hour');
  await form.getByLabel('From', { exact: true }).fill('2026-10-01');
  await form.getByLabel('To', { exact: true }).fill('2026-11-20');
  await form.getByLabel('Entry rule').fill('sma(close, 5) crosses_above sma(close, 20)');
  await form.getByLabel('Exit rule').fill('sma(close, 5) crosses_below sma(close, 20)');
  await form.getByRole('radio', { name: 'Fixed quantity' }).check();
  await form.getByLabel('Quantity', { exact: true }).fill('10');
  await form.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page).toHaveURL(/\/signals\?tab=backtests&id=[0-9a-f-]{36}$/);
  await expect(page.getByTestId('backtest-status')).toHaveText('Done.', { timeout: 60_000 });
  const metrics = page.getByTestId('backtest-metrics');
  for (const label of ['Total return', 'CAGR', 'Sharpe ratio', 'Max drawdown', 'Win rate', 'Profit factor'])
    await expect(metrics.getByRole('rowheader', { name: label, exact: true })).toBeVisible();
  await expect(metrics.locator('[data-metric="totalReturn"] td').first()).toHaveText(/^[+-]?\d+\.\d{2}%$/);
  await expect(metrics.locator('[data-metric="closedTrades"] td').first()).toHaveText(/^\d+$/);
  const trades = page.getByTestId('backtest-trades');
  await expect(trades.locator('tbody tr').first()).toBeVisible();
  await expect(trades.locator('tbody tr').first().locator('td').nth(1)).toHaveText('10');
  await expect(page.getByTestId('trades-chart').locator('canvas').first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('trades-chart')).not.toHaveAttribute('data-markers', '0');

  // The run is listed and reopens from its link.
  await expect(page.getByRole('table', { name: 'Past backtests' })).toContainText(
    'AAPL 1Hour 2026-10-01 → 2026-11-20',
  );
  await page.reload();
  await expect(page.getByTestId('backtest-status')).toHaveText('Done.');
  expect(await seriousViolations(page)).toEqual([]);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('tab', { name: 'Signals' }).click();
  await page.getByRole('button', { name: 'Edit Above the average' }).click();
  await expect(page.getByTestId('preview-summary')).toHaveText(/^Would have fired/, { timeout: 20_000 });
  expect(await seriousViolations(page)).toEqual([]);

  // Deleting asks first.
  await page.getByRole('button', { name: 'Delete Above the average' }).click();
  await page
    .getByRole('group', { name: 'Confirm deleting Above the average' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(page.getByTestId('signal-Above the average')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Edit Above the average' })).toHaveCount(0);
});
