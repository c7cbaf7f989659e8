import { expect, test } from '@playwright/test';
import { signIn } from './support/session.js';

/**
 * The pages run under the strict CSP (no 'unsafe-eval', no 'unsafe-inline') without tripping it: every
 * violation is a console issue, a lost Lighthouse point and a report the server must file, on every load.
 */
test('signed-in pages load without a single Content-Security-Policy violation', async ({ page }) => {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (line: string) => violations.push(line));
  // A script string: the e2e project has no DOM types, and this runs in the page before its own scripts.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => reportCspViolation(
      location.pathname + ': ' + e.effectiveDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));`,
  });
  await signIn(page);
  await expect(page.getByTestId('price-chart')).toBeVisible();
  for (const [path, heading] of [
    ['/trade', 'Trade'],
    ['/portfolio', 'Portfolio'],
    ['/signals', 'Signals'],
    ['/settings', 'Settings'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }
  expect(violations).toEqual([]);
});
