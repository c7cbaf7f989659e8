import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support/session.js';

const symbolsIn = (page: Page, list: string) =>
  page.getByRole('list', { name: `Symbols in ${list}` }).locator('li .symbol');

test('watchlists: start one, build another by search, reorder and rename, watch quotes live, chart 5Min', async ({
  page,
}) => {
  await signIn(page);
  const panel = page.getByRole('region', { name: 'Watchlists' });

  // A first-time user gets a one-click starter list, with a live quote table.
  await panel.getByRole('button', { name: 'Create a watchlist with AAPL, MSFT, NVDA, SPY' }).click();
  const table = panel.getByRole('table', { name: 'Quotes for My watchlist' });
  await expect(table.getByRole('row')).toHaveCount(5);
  const last = table.getByTestId('quote-AAPL').getByTestId('quote-last');
  await expect(last).toHaveText(/^\d[\d,]*\.\d{2,4}$/);

  // The last price follows the trade stream.
  const first = await last.textContent();
  await expect
    .poll(() => last.textContent(), { timeout: 20_000, message: 'the AAPL last price never moved' })
    .not.toBe(first);

  // Create a second list and add symbols through the keyboard-driven search.
  await panel.getByLabel('New watchlist name').fill('Tech');
  await panel.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(panel.getByRole('button', { name: /^Tech/, pressed: true })).toBeVisible();
  await panel.getByRole('button', { name: 'Edit symbols' }).click();

  const search = panel.getByRole('combobox', { name: 'Add a symbol to Tech' });
  await search.fill('MSF');
  await expect(panel.getByRole('option', { name: /MSFT/ })).toBeVisible();
  await search.press('ArrowDown');
  await expect(search).toHaveAttribute('aria-activedescendant', /option-0/);
  await search.press('Enter');
  await expect(symbolsIn(page, 'Tech')).toHaveText(['MSFT']);

  await search.fill('NVDA');
  await panel.getByRole('option', { name: /NVDA/ }).click();
  await search.fill('AAPL');
  await expect(panel.getByRole('option', { name: /AAPL/ })).toBeVisible();
  await search.press('Enter');
  await expect(symbolsIn(page, 'Tech')).toHaveText(['MSFT', 'NVDA', 'AAPL']);

  // Reorder with the keyboard-accessible buttons and with drag and drop.
  await panel.getByRole('button', { name: 'Move AAPL up' }).click();
  await expect(symbolsIn(page, 'Tech')).toHaveText(['MSFT', 'AAPL', 'NVDA']);
  await expect(panel.getByRole('button', { name: 'Move AAPL up' })).toBeFocused();
  await panel.locator('li[data-symbol="NVDA"]').dragTo(panel.locator('li[data-symbol="MSFT"]'));
  await expect(symbolsIn(page, 'Tech')).toHaveText(['NVDA', 'MSFT', 'AAPL']);

  // Rename inline, and move the list to the top.
  await panel.getByRole('button', { name: 'Rename Tech' }).click();
  const name = panel.getByLabel('New name for Tech');
  await name.fill('Big tech');
  await name.press('Enter');
  await expect(panel.getByRole('button', { name: /^Big tech/ })).toBeVisible();
  await panel.getByRole('button', { name: 'Move Big tech up' }).click();
  await expect(
    panel.getByRole('list', { name: 'Your watchlists' }).getByRole('listitem').first(),
  ).toContainText('Big tech');

  // All of it was saved on the server.
  await page.reload();
  await expect(
    panel.getByRole('list', { name: 'Your watchlists' }).getByRole('listitem').first(),
  ).toContainText('Big tech');
  const bigTech = panel.getByRole('table', { name: 'Quotes for Big tech' });
  await expect(bigTech.locator('tbody th')).toHaveText(['NVDA', 'MSFT', 'AAPL']);

  // Clicking a row charts that symbol; switch the chart to 5-minute bars.
  await bigTech.getByTestId('quote-MSFT').click();
  await expect(page.getByRole('heading', { name: 'MSFT', level: 2 })).toBeVisible();
  const timeframes = page.getByRole('group', { name: 'Timeframe' });
  await timeframes.getByRole('button', { name: '5m', exact: true }).click();
  await expect(timeframes.getByRole('button', { name: '5m', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const chart = page.getByTestId('price-chart');
  await expect(chart).toHaveAttribute('data-timeframe', '5Min');
  await expect(chart.locator('canvas').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('region', { name: 'MSFT' }).getByText('SIMULATED')).toBeVisible();
  await expect(page.getByTestId('chart-legend')).toContainText('O');

  // Scrolling back to the oldest bar loads older history in front of it.
  const bars = async () => Number(await chart.getAttribute('data-bars'));
  const loaded = await bars();
  const box = await chart.boundingBox();
  if (box === null) throw new Error('the chart has no box');
  await expect
    .poll(
      async () => {
        await page.mouse.move(box.x + 60, box.y + box.height / 3);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width - 80, box.y + box.height / 3, { steps: 8 });
        await page.mouse.up();
        return bars();
      },
      { timeout: 20_000, message: 'no older bars were loaded' },
    )
    .toBeGreaterThan(loaded);
});

test('watchlists: a refused change rolls back and says why', async ({ page }) => {
  await signIn(page);
  const panel = page.getByRole('region', { name: 'Watchlists' });
  const create = async (name: string): Promise<void> => {
    await panel.getByLabel('New watchlist name').fill(name);
    await panel.getByRole('button', { name: 'Create', exact: true }).click();
  };
  await expect(
    panel
      .getByRole('list', { name: 'Your watchlists' })
      .or(panel.getByRole('button', { name: /^Create a watchlist/ })),
  ).toBeVisible();
  if (await panel.getByRole('button', { name: /^Create a watchlist/ }).isVisible()) {
    await panel.getByRole('button', { name: /^Create a watchlist/ }).click();
  }
  await create('Duplicate');
  const items = panel.getByRole('list', { name: 'Your watchlists' }).getByRole('listitem');
  await expect(panel.getByRole('button', { name: /^Duplicate/, pressed: true })).toBeVisible();
  const count = await items.count();

  // The server refuses a second list of the same name: the optimistic row goes, the reason shows.
  await create('Duplicate');
  await expect(panel.getByRole('alert')).toBeVisible();
  await expect(items).toHaveCount(count);
});
