import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TradingAccountChoiceJson } from '../../../contracts/trading.js';
import type { ApiClient } from '../../api/api-client.js';
import { ApiProvider } from '../../api/api-context.js';
import { TradingAccountBadge } from './trading-account-badge.js';

/** An API whose /trading-account answers `choice`. */
function fakeApi(choice: TradingAccountChoiceJson): { api: ApiClient } {
  const call = async (method: string, path: string) => {
    if (method !== 'GET' || path !== '/api/v1/trading-account') throw new Error(`not expected: ${path}`);
    return choice;
  };
  return { api: { call } as unknown as ApiClient };
}

function renderWith(api: ApiClient, node: ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ApiProvider value={api}>{node}</ApiProvider>
    </QueryClientProvider>,
  );
}

afterEach(cleanup);

describe('TradingAccountBadge', () => {
  it('shows an unmistakable LIVE badge when the Alpaca account trades real money', async () => {
    renderWith(fakeApi({ broker: 'alpaca', live: true, alpaca_keys: 'live' }).api, <TradingAccountBadge />);
    const badge = await screen.findByTestId('account-badge');
    expect(badge.textContent).toBe('LIVE');
    expect(badge.className).toContain('topbar-live');
    expect(badge.getAttribute('title')).toBe('Orders trade real money');
  });

  it('names the Alpaca paper account, and shows nothing on the paper simulator', async () => {
    renderWith(fakeApi({ broker: 'alpaca', live: false, alpaca_keys: 'paper' }).api, <TradingAccountBadge />);
    expect((await screen.findByTestId('account-badge')).textContent).toBe('Alpaca paper');
    cleanup();
    renderWith(fakeApi({ broker: 'paper', live: false, alpaca_keys: 'live' }).api, <TradingAccountBadge />);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('account-badge')).toBeNull();
  });
});
