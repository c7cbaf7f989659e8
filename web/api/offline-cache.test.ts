import { describe, expect, it } from 'vitest';
import type { ApiClient } from './api-client.js';
import { ApiError } from './api-error.js';
import { createOfflineCache, withOfflineCache } from './offline-cache.js';

class MemoryStorage {
  private items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  key(i: number): string | null {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const me = { id: 'u1', email: 'owner@example.com', role: 'owner', csrfToken: 'secret' } as const;
const lists = [{ id: 'w1', name: 'Tech', symbols: ['AAPL'], position: 0 }];
const down = () => Promise.reject(new ApiError(0, 'CLIENT_NETWORK_ERROR', 'Cannot reach the Pulse server.'));

function setup(online: { value: boolean }) {
  const storage = new MemoryStorage();
  const base = {
    getMe: () => (online.value ? Promise.resolve({ ...me }) : down()),
    getWatchlists: () => (online.value ? Promise.resolve(lists) : down()),
    logout: () => Promise.resolve(),
  } as unknown as ApiClient;
  let now = 1_000;
  const cache = createOfflineCache(storage, () => now);
  const { api, tracker } = withOfflineCache(base, cache);
  return { api, tracker, storage, advance: (ms: number) => (now += ms) };
}

describe('withOfflineCache', () => {
  it('answers from the last good response when the server is unreachable, and says so', async () => {
    const online = { value: true };
    const { api, tracker } = setup(online);
    await api.getMe();
    await api.getWatchlists();
    expect(tracker.state()).toEqual({ reachable: true, cachedSince: null, missing: false });

    online.value = false;
    expect(await api.getWatchlists()).toEqual(lists);
    expect(tracker.state()).toMatchObject({ reachable: false, cachedSince: 1_000, missing: false });
    // The cached session never carries a CSRF token.
    expect((await api.getMe()).csrfToken).toBe('');

    online.value = true;
    await api.getWatchlists();
    expect(tracker.state().reachable).toBe(true);
  });

  it('keeps the network error when nothing was cached, and reports the gap', async () => {
    const { api, tracker } = setup({ value: false });
    await expect(api.getWatchlists()).rejects.toMatchObject({ code: 'CLIENT_NETWORK_ERROR' });
    expect(tracker.state()).toMatchObject({ reachable: false, cachedSince: null, missing: true });
  });

  it('forgets everything on sign-out', async () => {
    const online = { value: true };
    const { api, storage } = setup(online);
    await api.getMe();
    await api.getWatchlists();
    expect(storage.length).toBe(2);
    await api.logout();
    expect(storage.length).toBe(0);
  });
});
