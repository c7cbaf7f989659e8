import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Watchlist } from '../../../../contracts/watchlists.js';
import type { ApiClient } from '../../../api/api-client.js';
import { ApiProvider } from '../../../api/api-context.js';
import { ApiError } from '../../../api/api-error.js';
import type { StreamClient } from '../../../api/stream-client.js';
import { StreamClientProvider } from '../../../api/stream-context.js';
import { WatchlistPanel } from './watchlist-panel.js';

const stream: StreamClient = {
  subscribe: () => () => undefined,
  onMessage: () => () => undefined,
  onResume: () => () => undefined,
  onStatus: () => () => undefined,
  status: () => 'open',
  close: () => undefined,
};

function fakeApi(lists: Watchlist[], overrides: Partial<ApiClient> = {}): ApiClient {
  const unexpected = () => Promise.reject(new Error('not expected in this test'));
  return {
    getSetup: unexpected,
    createOwner: unexpected,
    getMe: unexpected,
    login: unexpected,
    verifyMfa: unexpected,
    logout: unexpected,
    searchAssets: async () => [],
    getBars: unexpected,
    getCalendar: unexpected,
    getSnapshots: async () => ({ snapshots: {}, source: 'sim' }),
    getWatchlists: async () => lists,
    createWatchlist: unexpected,
    updateWatchlist: unexpected,
    deleteWatchlist: unexpected,
    addWatchlistSymbol: unexpected,
    removeWatchlistSymbol: unexpected,
    reorderWatchlists: unexpected,
    call: unexpected,
    ...overrides,
  };
}

function renderPanel(api: ApiClient) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const onSelectSymbol = vi.fn();
  render(
    <QueryClientProvider client={queryClient}>
      <ApiProvider value={api}>
        <StreamClientProvider value={stream}>
          <WatchlistPanel symbol="AAPL" onSelectSymbol={onSelectSymbol} />
        </StreamClientProvider>
      </ApiProvider>
    </QueryClientProvider>,
  );
  return { onSelectSymbol };
}

const tech: Watchlist = { id: 'w1', name: 'Tech', symbols: ['AAPL', 'MSFT', 'NVDA'], position: 0 };

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

describe('WatchlistPanel', () => {
  it('offers a first-time user a one-click starter list and then shows its quotes', async () => {
    const createWatchlist = vi.fn(async (body: { name: string; symbols?: readonly string[] }) => ({
      id: 'w9',
      name: body.name,
      symbols: [...(body.symbols ?? [])],
      position: 0,
    }));
    renderPanel(fakeApi([], { createWatchlist }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Create a watchlist with AAPL, MSFT, NVDA, SPY' }),
    );
    const table = await screen.findByRole('table', { name: 'Quotes for My watchlist' });
    expect(createWatchlist).toHaveBeenCalledWith({
      name: 'My watchlist',
      symbols: ['AAPL', 'MSFT', 'NVDA', 'SPY'],
    });
    expect(within(table).getAllByRole('row')).toHaveLength(5);
  });

  it('moves a symbol at once and rolls back with the reason when the server refuses', async () => {
    let refuse: (error: unknown) => void = () => undefined;
    const updateWatchlist = vi.fn(
      () =>
        new Promise<Watchlist>((_resolve, reject) => {
          refuse = reject;
        }),
    );
    renderPanel(fakeApi([tech], { updateWatchlist }));
    fireEvent.click(await screen.findByRole('button', { name: 'Edit symbols' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move AAPL down' }));
    const order = () =>
      within(screen.getByRole('list', { name: 'Symbols in Tech' }))
        .getAllByRole('listitem')
        .map((li) => li.dataset.symbol);
    expect(await screen.findByText('AAPL moved to position 2 of 3.')).toBeTruthy();
    expect(order()).toEqual(['MSFT', 'AAPL', 'NVDA']);
    expect(updateWatchlist).toHaveBeenCalledWith('w1', { symbols: ['MSFT', 'AAPL', 'NVDA'] });

    await act(async () =>
      refuse(new ApiError(404, 'WATCHLIST_NOT_FOUND', 'That watchlist no longer exists.')),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('That watchlist no longer exists.');
    expect(order()).toEqual(['AAPL', 'MSFT', 'NVDA']);
  });

  it('asks before deleting a list, and keeps it on cancel', async () => {
    const deleteWatchlist = vi.fn(async () => undefined);
    renderPanel(fakeApi([tech], { deleteWatchlist }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete Tech' }));
    const confirm = screen.getByRole('group', { name: 'Confirm deleting Tech' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(deleteWatchlist).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete Tech' }));
    fireEvent.click(
      within(screen.getByRole('group', { name: 'Confirm deleting Tech' })).getByRole('button', {
        name: 'Delete',
      }),
    );
    await waitFor(() => expect(deleteWatchlist).toHaveBeenCalledWith('w1'));
    expect(
      await screen.findByRole('button', { name: 'Create a watchlist with AAPL, MSFT, NVDA, SPY' }),
    ).toBeTruthy();
  });

  it('charts the symbol of a clicked quote row', async () => {
    const { onSelectSymbol } = renderPanel(fakeApi([tech]));
    fireEvent.click(await screen.findByRole('button', { name: 'MSFT' }));
    expect(onSelectSymbol).toHaveBeenCalledWith('MSFT');
  });
});
