import type { Me } from '../../contracts/auth.js';
import type { SnapshotsResponse } from '../../contracts/market.js';
import type { ApiClient } from './api-client.js';
import { isApiError } from './api-error.js';

/** A value kept for offline use and when it was saved (epoch ms). */
export interface Cached<T> {
  value: T;
  savedAt: number;
}

/** A small key–value store for the last good answers; null storage (blocked) keeps nothing. */
export interface OfflineCache {
  read<T>(key: string): Cached<T> | null;
  write(key: string, value: unknown): void;
  /** Forgets everything this cache saved (sign-out on a shared device). */
  clear(): void;
}

/** Whether the server answered lately, and what the screen shows from the cache meanwhile. */
export interface OfflineState {
  readonly reachable: boolean;
  /** When the oldest cached answer now on screen was saved; null when nothing came from the cache. */
  readonly cachedSince: number | null;
  /** True when a request failed offline and the cache had nothing for it. */
  readonly missing: boolean;
}

/** Observable {@link OfflineState}; a new object on every change. */
export interface OfflineTracker {
  state(): OfflineState;
  subscribe(listener: () => void): () => void;
  /** The browser says it lost (false) or regained (true) its network. */
  setBrowserOnline(online: boolean): void;
}

const PREFIX = 'pulse.cache.';

/** Creates a JSON cache over `storage` (localStorage in the browser); storage errors are ignored. */
export function createOfflineCache(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'> | null,
  now: () => number = Date.now,
): OfflineCache {
  return {
    read<T>(key: string): Cached<T> | null {
      try {
        const text = storage?.getItem(PREFIX + key);
        if (text === null || text === undefined) return null;
        const parsed = JSON.parse(text) as Cached<T>;
        return typeof parsed.savedAt === 'number' ? parsed : null;
      } catch {
        return null;
      }
    },
    write(key, value) {
      try {
        storage?.setItem(PREFIX + key, JSON.stringify({ value, savedAt: now() }));
      } catch {
        // Quota or privacy mode: offline copies are a convenience, never a reason to fail.
      }
    },
    clear() {
      try {
        if (storage === null) return;
        const keys: string[] = [];
        for (let i = 0; i < storage.length; i += 1) {
          const key = storage.key(i);
          if (key?.startsWith(PREFIX)) keys.push(key);
        }
        for (const key of keys) storage.removeItem(key);
      } catch {
        // See write.
      }
    },
  };
}

function createTracker(): OfflineTracker & {
  succeeded(): void;
  failed(cached: Cached<unknown> | null): void;
} {
  const listeners = new Set<() => void>();
  let state: OfflineState = { reachable: true, cachedSince: null, missing: false };
  const set = (next: OfflineState): void => {
    if (
      next.reachable === state.reachable &&
      next.cachedSince === state.cachedSince &&
      next.missing === state.missing
    )
      return;
    state = next;
    for (const listener of listeners) listener();
  };
  return {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setBrowserOnline(online) {
      if (!online) set({ ...state, reachable: false });
    },
    succeeded: () => set({ reachable: true, cachedSince: null, missing: false }),
    failed(cached) {
      const cachedSince =
        cached === null
          ? state.cachedSince
          : Math.min(cached.savedAt, state.cachedSince ?? Number.POSITIVE_INFINITY);
      set({ reachable: false, cachedSince, missing: state.missing || cached === null });
    },
  };
}

const isOffline = (error: unknown): boolean => isApiError(error, 'CLIENT_NETWORK_ERROR');

/**
 * Wraps `api` so the session, watchlists and snapshots survive a lost network: each good answer is
 * saved per user, and when the server cannot be reached the last saved answer is returned instead
 * (the tracker says so, so the UI can label it). Nothing saved → the network error stands.
 */
export function withOfflineCache(
  api: ApiClient,
  cache: OfflineCache,
): { api: ApiClient; tracker: OfflineTracker } {
  const tracker = createTracker();
  let userId: string | null = cache.read<Me>('me')?.value.id ?? null;

  async function cached<T>(
    key: string | null,
    call: () => Promise<T>,
    save = (value: T): unknown => value,
  ): Promise<T> {
    try {
      const value = await call();
      tracker.succeeded();
      if (key !== null) cache.write(key, save(value));
      return value;
    } catch (error) {
      if (!isOffline(error)) throw error;
      const hit = key === null ? null : cache.read<T>(key);
      tracker.failed(hit);
      if (hit === null) throw error;
      return hit.value;
    }
  }

  /** A new signed-in user: the previous user's cached data goes. */
  const rememberUser = (me: Me): Me => {
    if (me.id !== userId) cache.clear();
    userId = me.id;
    cache.write('me', { ...me, csrfToken: '' });
    return me;
  };

  const track =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A) =>
      cached(null, () => call(...args));
  const userKey = (name: string): string | null => (userId === null ? null : `${userId}.${name}`);

  const wrapped: ApiClient = {
    ...api,
    getSetup: () => cached('setup', () => api.getSetup()),
    getMe: async () => {
      try {
        const me = await cached(
          'me',
          () => api.getMe(),
          (value) => ({ ...value, csrfToken: '' }),
        );
        userId = me.id;
        return me;
      } catch (error) {
        if (isApiError(error, 'AUTH_REQUIRED')) cache.clear();
        throw error;
      }
    },
    login: async (body) => {
      const result = await cached(null, () => api.login(body));
      if ('mfaRequired' in result) return result;
      return rememberUser(result);
    },
    verifyMfa: async (body) => rememberUser(await cached(null, () => api.verifyMfa(body))),
    createOwner: track(api.createOwner),
    logout: async () => {
      cache.clear();
      userId = null;
      await api.logout();
    },
    getWatchlists: (signal) => cached(userKey('watchlists'), () => api.getWatchlists(signal)),
    getSnapshots: async (symbols, signal) => {
      const key = userKey('snapshots');
      try {
        const response = await api.getSnapshots(symbols, signal);
        tracker.succeeded();
        if (key !== null) {
          // Keep the latest snapshot of every symbol seen, so any watchlist can be shown offline.
          const saved = cache.read<SnapshotsResponse>(key)?.value.snapshots ?? {};
          cache.write(key, { ...response, snapshots: { ...saved, ...response.snapshots } });
        }
        return response;
      } catch (error) {
        if (!isOffline(error)) throw error;
        const hit = key === null ? null : cache.read<SnapshotsResponse>(key);
        const snapshots = Object.fromEntries(
          symbols.flatMap((s) => {
            const snapshot = hit?.value.snapshots[s];
            return snapshot === undefined ? [] : [[s, snapshot] as const];
          }),
        );
        const found = hit !== null && Object.keys(snapshots).length > 0 ? hit : null;
        tracker.failed(found);
        if (found === null) throw error;
        return { snapshots, source: found.value.source };
      }
    },
    getBars: track(api.getBars),
    getCalendar: track(api.getCalendar),
    searchAssets: track(api.searchAssets),
  };
  return { api: wrapped, tracker };
}
