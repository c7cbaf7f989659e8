import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TradingAccountChoiceJson } from '../../../../contracts/trading.js';
import type { ApiClient } from '../../../api/api-client.js';
import { ApiProvider } from '../../../api/api-context.js';
import { TradingAccountSection } from './trading-account-section.js';

/** An API whose /trading-account answers `choice` and records every PUT body. */
function fakeApi(choice: TradingAccountChoiceJson): { api: ApiClient; puts: unknown[] } {
  const puts: unknown[] = [];
  let current = choice;
  const call = async (method: string, path: string, _schema: unknown, body?: unknown) => {
    if (path !== '/api/v1/trading-account') throw new Error(`not expected: ${method} ${path}`);
    if (method === 'PUT') {
      puts.push(body);
      current = { ...current, ...(body as { broker: 'paper' | 'alpaca' }) };
      current = { ...current, live: current.broker === 'alpaca' && current.alpaca_keys === 'live' };
    }
    return current;
  };
  return { api: { call } as unknown as ApiClient, puts };
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

describe('TradingAccountSection', () => {
  it('offers Alpaca only once keys are saved', async () => {
    renderWith(fakeApi({ broker: 'paper', live: false, alpaca_keys: null }).api, <TradingAccountSection />);
    const paper = await screen.findByLabelText('Paper simulator');
    await waitFor(() => expect((paper as HTMLInputElement).checked).toBe(true));
    expect((screen.getByLabelText('Alpaca paper account') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('Save Alpaca keys above to trade through your Alpaca account.')).toBeTruthy();
  });

  it('marks live keys as real money and switches to them on a click', async () => {
    const { api, puts } = fakeApi({ broker: 'paper', live: false, alpaca_keys: 'live' });
    renderWith(api, <TradingAccountSection />);
    const live = (await screen.findByLabelText('Alpaca — LIVE, real money')) as HTMLInputElement;
    await waitFor(() => expect(live.disabled).toBe(false));
    expect(live.closest('label')?.className).toBe('choice-live');
    fireEvent.click(live);
    await waitFor(() => expect(live.checked).toBe(true));
    expect(puts).toEqual([{ broker: 'alpaca' }]);
  });
});
