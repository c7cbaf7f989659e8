import { describe, expect, it, vi } from 'vitest';
import { createRouter, isPlainLeftClick, matchRoute, normalizePath, type RouterWindow } from './router.js';

function fakeWindow(start = '/') {
  const listeners = new Set<() => void>();
  const entries: string[] = [start];
  let index = 0;
  const location = { pathname: start, search: '', hash: '', origin: 'https://pulse.test' };
  const go = (url: string): void => {
    const parsed = new URL(url, location.origin);
    location.pathname = parsed.pathname;
    location.search = parsed.search;
    location.hash = parsed.hash;
  };
  const win: RouterWindow & { back(): void; entries: string[]; listenerCount(): number } = {
    location,
    history: {
      pushState: (_data, _unused, url) => {
        entries.splice(index + 1, Infinity, String(url));
        index += 1;
        go(String(url));
      },
      replaceState: (_data, _unused, url) => {
        entries[index] = String(url);
        go(String(url));
      },
    },
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
    back() {
      index -= 1;
      go(entries[index] ?? '/');
      for (const listener of listeners) listener();
    },
    entries,
    listenerCount: () => listeners.size,
  };
  return win;
}

describe('normalizePath', () => {
  it('drops a trailing slash and collapses repeated slashes', () => {
    expect(normalizePath('/markets/')).toBe('/markets');
    expect(normalizePath('//trade//x/')).toBe('/trade/x');
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('')).toBe('/');
  });
});

describe('matchRoute', () => {
  const routes = [{ path: '/' }, { path: '/settings' }];
  it('finds the route of a path after normalising it', () => {
    expect(matchRoute(routes, '/settings/')).toBe(routes[1]);
  });
  it('returns undefined when no route matches', () => {
    expect(matchRoute(routes, '/nope')).toBeUndefined();
  });
});

describe('createRouter', () => {
  it('pushes a history entry and notifies subscribers when navigating', () => {
    const win = fakeWindow('/');
    const router = createRouter(win);
    const listener = vi.fn();
    router.subscribe(listener);
    router.navigate('/settings');
    expect(router.path()).toBe('/settings');
    expect(win.entries).toEqual(['/', '/settings']);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('replaces the entry when asked to', () => {
    const win = fakeWindow('/');
    createRouter(win).navigate('/trade', { replace: true });
    expect(win.entries).toEqual(['/trade']);
  });

  it('does nothing when navigating to where it already is', () => {
    const win = fakeWindow('/markets');
    const router = createRouter(win);
    const listener = vi.fn();
    router.subscribe(listener);
    router.navigate('/markets/');
    expect(win.entries).toEqual(['/markets']);
    expect(listener).not.toHaveBeenCalled();
  });

  it('follows back/forward through popstate', () => {
    const win = fakeWindow('/');
    const router = createRouter(win);
    const listener = vi.fn();
    router.subscribe(listener);
    router.navigate('/portfolio');
    win.back();
    expect(router.path()).toBe('/');
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('keeps search and hash, and resolves relative paths', () => {
    const win = fakeWindow('/markets');
    const router = createRouter(win);
    router.navigate('signals?x=1#top');
    expect(win.entries.at(-1)).toBe('/signals?x=1#top');
    expect(router.path()).toBe('/signals');
  });

  it('refuses to navigate to another origin', () => {
    const router = createRouter(fakeWindow('/'));
    expect(() => router.navigate('https://evil.test/')).toThrow(/off-origin/);
  });

  it('stops listening to popstate when the last subscriber leaves', () => {
    const win = fakeWindow('/');
    const router = createRouter(win);
    const off = router.subscribe(() => undefined);
    expect(win.listenerCount()).toBe(1);
    off();
    expect(win.listenerCount()).toBe(0);
  });
});

describe('isPlainLeftClick', () => {
  const click = {
    button: 0,
    metaKey: false,
    altKey: false,
    ctrlKey: false,
    shiftKey: false,
    defaultPrevented: false,
  };
  it('accepts a plain primary click', () => {
    expect(isPlainLeftClick(click)).toBe(true);
  });
  it('leaves modified, secondary and handled clicks to the browser', () => {
    expect(isPlainLeftClick({ ...click, ctrlKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...click, metaKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...click, button: 1 })).toBe(false);
    expect(isPlainLeftClick({ ...click, defaultPrevented: true })).toBe(false);
  });
});
