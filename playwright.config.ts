import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig, devices, type PlaywrightTestConfig } from '@playwright/test';

const port = 3197;
const simPort = 3196;
/**
 * A Pulse someone else started (deploy/nginx/test-edge.sh: nginx + ModSecurity in front of two nodes), or
 * undefined to start `pulse serve` and `pulse sim` here. That Pulse must have no owner yet when the first-run
 * journey runs; its certificate may be self-signed (a loopback test), so certificate errors are ignored.
 */
const externalURL = process.env.PULSE_E2E_BASE_URL || undefined;
const baseURL = externalURL ?? `http://127.0.0.1:${port}`;

/** Debian's chromium, headless, with nothing reaching out to the network. */
const browser = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

/** Browser journeys against a real `pulse serve` over a fresh database and the simulated market. */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: process.env.CI !== undefined,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    serviceWorkers: 'block',
    ...(externalURL !== undefined && { ignoreHTTPSErrors: true }),
  },
  // The first-run journey must meet a server with no owner: it runs first, every other journey after it.
  projects: [
    { name: 'first-run', testMatch: /first-run\.spec\.ts$/, use: browser },
    { name: 'journeys', testIgnore: /first-run\.spec\.ts$/, dependencies: ['first-run'], use: browser },
  ],
  ...(externalURL === undefined && { webServer: localServers() }),
});

/** `pulse sim` and `pulse serve` over a fresh data directory, so every run starts at first-run setup. */
function localServers(): Extract<PlaywrightTestConfig['webServer'], unknown[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pulse-e2e-'));
  return [
    {
      // e2e/alpaca-account.spec.ts trades through an Alpaca account: this `pulse sim` is that Alpaca.
      command: `node bin/pulse.mjs sim --port ${simPort} --start 2026-11-24T15:00:00Z --speed 60`,
      url: `http://127.0.0.1:${simPort}/v2/clock`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'node bin/pulse.mjs serve',
      url: `${baseURL}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        SIM_START: '2026-11-24T15:00:00Z',
        SIM_SPEED: '60',
        LOG_LEVEL: 'warn',
        // e2e/sign-up.spec.ts creates an account of its own.
        SIGNUP: 'open',
        // e2e/account-recovery.spec.ts runs the SMTP receiver; links in e-mails point at this server.
        SMTP_URL: 'smtp://127.0.0.1:3198',
        PUBLIC_URL: baseURL,
        ALPACA_PAPER_TRADING_URL: `http://127.0.0.1:${simPort}`,
        ALPACA_LIVE_TRADING_URL: `http://127.0.0.1:${simPort}`,
        // e2e/account-sso.spec.ts runs this OpenID provider (e2e/support/oidc-idp.ts) on port 3199.
        OIDC_PROVIDERS: JSON.stringify([
          {
            id: 'idp',
            name: 'Test IdP',
            issuer: 'http://127.0.0.1:3199',
            clientId: 'pulse',
            clientSecret: 'a client secret of the test provider, long enough',
          },
        ]),
      },
    },
  ];
}
