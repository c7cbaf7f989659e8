import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe.js';
import { type MailInbox, startMailInbox } from './support/mail-inbox.js';
import { createUser, signIn, submitPatiently } from './support/session.js';

// playwright.config.ts runs `pulse sim` on port 3196 and points ALPACA_*_TRADING_URL at it.
const trader = { email: 'alpaca-trader@pulse.test', password: 'copper kestrel over the harbour 84' };

// Live keys need a confirmed e-mail address: the confirmation link arrives at this SMTP receiver.
let inbox: MailInbox;
test.beforeAll(async () => {
  inbox = await startMailInbox();
});
test.afterAll(async () => {
  await inbox.close();
});

test('trading through an Alpaca account: save keys, choose Alpaca, rest and cancel a limit, buy at market, back to paper, then LIVE', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // A trader of their own: the other journeys keep the owner on the paper simulator.
  await signIn(page);
  await createUser(page, trader);
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto('/');
  await tab.getByLabel('E-mail').fill(trader.email);
  await tab.getByLabel('Password').fill(trader.password);
  await submitPatiently(
    tab,
    () => tab.getByRole('button', { name: 'Sign in', exact: true }).click(),
    tab.getByRole('navigation', { name: 'Main' }),
  );

  // Settings → Connections: Alpaca is offered once keys are saved.
  await tab.goto('/settings');
  const connections = tab.getByRole('region', { name: 'Connections' });
  const alpaca = connections.getByLabel('Alpaca paper account');
  await expect(connections.getByLabel('Paper simulator')).toBeChecked();
  await expect(alpaca).toBeDisabled();
  await connections.getByLabel('API key ID').fill('PKE2EJOURNEY01');
  await connections.getByLabel('Secret key').fill('an e2e journey secret');
  await connections.getByRole('button', { name: 'Save keys' }).click();
  await expect(connections.getByTestId('broker-keys-status')).toContainText('Key …EY01 (paper)');
  await alpaca.check();
  await expect(alpaca).toBeChecked();
  await expect(tab.getByTestId('account-badge')).toHaveText('Alpaca paper');
  expect(await seriousViolations(tab)).toEqual([]);

  // The ticket trades through the sim's Alpaca API: a limit far below the market rests open.
  await tab.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trade' }).click();
  const ticket = tab.getByRole('region', { name: 'Order ticket' });
  await expect(ticket.getByText('Alpaca paper', { exact: true })).toBeVisible();
  await ticket.getByLabel('Order type').selectOption('limit');
  await ticket.getByLabel('Quantity').fill('2');
  await ticket.getByLabel('Limit price').fill('1.00');
  await ticket.getByRole('button', { name: 'Review order' }).click();
  await ticket.getByRole('button', { name: 'Place buy order' }).click();
  await expect(ticket.getByRole('status')).toContainText('Buy 2 AAPL');
  const orders = tab.getByRole('region', { name: 'Orders' });
  await orders.getByRole('button', { name: 'Open' }).click();
  const open = orders
    .getByRole('table', { name: 'Open orders' })
    .getByRole('row')
    .filter({ hasText: 'AAPL' });
  await expect(open).toHaveCount(1);
  await open.getByRole('button', { name: 'Cancel AAPL order' }).click();
  await expect(orders.getByText('No open orders.')).toBeVisible();

  // A market buy fills at the sim; the position comes from Alpaca's positions.
  await ticket.getByLabel('Order type').selectOption('market');
  await ticket.getByLabel('Quantity').fill('1');
  await ticket.getByRole('button', { name: 'Review order' }).click();
  await ticket.getByRole('button', { name: 'Place buy order' }).click();
  const positions = tab.getByRole('region', { name: 'Positions' });
  await expect(positions.getByTestId('position-AAPL').getByTestId('position-qty')).toHaveText('1', {
    timeout: 20_000,
  });
  await expect(
    tab.getByText('Fills of your Alpaca account are listed in your Alpaca dashboard.'),
  ).toBeVisible();

  // Back to the paper simulator: the badge goes, and the paper account has no position.
  await tab.goto('/settings');
  await connections.getByLabel('Paper simulator').check();
  await expect(connections.getByLabel('Paper simulator')).toBeChecked();
  await expect(tab.getByTestId('account-badge')).toHaveCount(0);
  await tab.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trade' }).click();
  await expect(positions.getByTestId('position-AAPL')).toHaveCount(0);

  // Live keys (after confirming the e-mail address): LIVE is impossible to miss.
  // Opened where the e-mail is read: a browser that is not signed in.
  const verify = new URL(await inbox.linkFor(trader.email, '/verify-email'));
  const mailContext = await browser.newContext();
  const mail = await mailContext.newPage();
  await mail.goto(`${verify.pathname}${verify.search}`);
  await expect(mail.getByRole('heading', { name: 'E-mail address confirmed' })).toBeVisible();
  await mailContext.close();
  await tab.goto('/settings');
  await connections.getByLabel('API key ID').fill('PKE2EJOURNEY02');
  await connections.getByLabel('Secret key').fill('an e2e journey secret');
  await connections.getByLabel('Account', { exact: true }).selectOption('live');
  await connections.getByRole('button', { name: 'Replace keys' }).click();
  await expect(connections.getByTestId('broker-keys-status')).toContainText('Key …EY02 (live trading)');
  const live = connections.getByLabel('Alpaca — LIVE, real money');
  await live.check();
  await expect(live).toBeChecked();
  await expect(tab.getByTestId('account-badge')).toHaveText('LIVE');
  await tab.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trade' }).click();
  await expect(ticket.getByRole('note')).toHaveText('LIVE account: orders trade real money.');
  await expect(ticket.getByText('LIVE', { exact: true })).toBeVisible();
  expect(await seriousViolations(tab)).toEqual([]);

  // Deleting the keys returns the trader to the paper simulator.
  await tab.goto('/settings');
  await connections.getByRole('button', { name: 'Delete keys' }).click();
  await expect(connections.getByTestId('broker-keys-status')).toHaveText('No keys saved.');
  await expect(connections.getByLabel('Paper simulator')).toBeChecked();
  await expect(tab.getByTestId('account-badge')).toHaveCount(0);
  await context.close();
});
