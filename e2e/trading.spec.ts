import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe.js';
import { signIn } from './support/session.js';

test('trading: buy 1 AAPL at market through the confirm step, rest and cancel a limit, close the position', async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trade' }).click();

  const ticket = page.getByRole('region', { name: 'Order ticket' });
  await expect(ticket.getByText('Paper', { exact: true })).toBeVisible();
  await expect(ticket.getByTestId('ticket-symbol')).toHaveText('AAPL');

  // Validation as you type, tied to the field.
  const qty = ticket.getByLabel('Quantity');
  await qty.fill('0');
  await expect(qty).toHaveAccessibleDescription(/must be greater than 0/);
  await qty.fill('1');
  await expect(qty).not.toHaveAttribute('aria-invalid');
  await expect(ticket.getByTestId('estimated-cost')).toHaveText(/^\$[\d,]+\.\d{2} at ask/);

  // Review, then place from the confirm step.
  await ticket.getByRole('button', { name: 'Review order' }).click();
  await expect(ticket.getByRole('heading', { name: 'Confirm your order' })).toBeFocused();
  await expect(ticket.getByTestId('order-summary')).toHaveText('Buy 1 AAPL · Market · Day');
  await ticket.getByRole('button', { name: 'Place buy order' }).click();
  await expect(ticket.getByRole('status')).toContainText('Buy 1 AAPL');

  // The fill arrives by trade update: the order closes as filled and a position appears.
  const orders = page.getByRole('region', { name: 'Orders' });
  await orders.getByRole('button', { name: 'Closed' }).click();
  const filled = orders
    .getByRole('table', { name: 'Closed orders' })
    .getByRole('row')
    .filter({ hasText: 'AAPL' });
  await expect(filled.first().getByTestId('order-status')).toHaveText('filled', { timeout: 20_000 });
  const positions = page.getByRole('region', { name: 'Positions' });
  await expect(positions.getByTestId('position-AAPL').getByTestId('position-qty')).toHaveText('1');
  await expect(page.getByRole('list', { name: 'Fills' }).getByRole('listitem').first()).toContainText(
    'Bought 1 AAPL',
  );

  // A limit buy far below the market rests open; cancel it.
  await ticket.getByLabel('Order type').selectOption('limit');
  await ticket.getByLabel('Quantity').fill('1');
  await ticket.getByLabel('Limit price').fill('1.00');
  await ticket.getByRole('button', { name: 'Review order' }).click();
  await expect(ticket.getByTestId('order-summary')).toHaveText('Buy 1 AAPL · Limit 1.00 · Day');
  await ticket.getByRole('button', { name: 'Place buy order' }).click();
  await orders.getByRole('button', { name: 'Open' }).click();
  const open = orders
    .getByRole('table', { name: 'Open orders' })
    .getByRole('row')
    .filter({ hasText: 'AAPL' });
  await expect(open).toHaveCount(1);
  await open.getByRole('button', { name: 'Cancel AAPL order' }).click();
  await expect(orders.getByText('No open orders.')).toBeVisible();
  await orders.getByRole('button', { name: 'Closed' }).click();
  await expect(
    orders.getByRole('table', { name: 'Closed orders' }).getByTestId('order-status').first(),
  ).toHaveText('canceled');

  expect(await seriousViolations(page)).toEqual([]);

  // The portfolio shows the holding and exports the orders as CSV.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Portfolio' }).click();
  await expect(page.getByRole('list', { name: 'Allocation by symbol' }).getByRole('listitem')).toHaveText([
    /AAPL\s*100\.0%/,
  ]);
  await expect(page.getByText('Total return')).toBeVisible();
  // Sector allocation, exposure and the benchmark comparison.
  await page.getByRole('button', { name: 'By sector' }).click();
  await expect(page.getByRole('list', { name: 'Allocation by sector' }).getByRole('listitem')).toHaveText([
    /Technology\s*100\.0%/,
  ]);
  await expect(page.getByTestId('exposure')).toHaveText(/^\+?\d+\.\d+% gross, [−+-]?\d+\.\d+% net$/);
  await expect(page.getByTestId('benchmark')).toHaveText(/[−+-]?\d+\.\d+% \(SPY [−+-]?\d+\.\d+%\)/);
  await expect(page.getByRole('heading', { name: 'Daily P&L' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Orders CSV' }).click();
  const csv = await readFile(await (await download).path(), 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^id,client_order_id,symbol,side,type/);
  expect(csv).toMatch(/,AAPL,buy,market,day,1,,,,1,[\d.]+,filled,/);
  expect(await seriousViolations(page)).toEqual([]);
  await nav.getByRole('link', { name: 'Trade' }).click();

  // Close the position.
  await positions.getByRole('button', { name: 'Close all AAPL' }).click();
  await expect(positions.getByText('No open positions.')).toBeVisible({ timeout: 20_000 });
});
