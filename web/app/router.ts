/** The parts of `window` the router touches, so tests can pass their own. */
export interface RouterWindow {
  location: { pathname: string; search: string; hash: string; origin: string };
  history: {
    pushState(data: unknown, unused: string, url?: string | URL | null): void;
    replaceState(data: unknown, unused: string, url?: string | URL | null): void;
  };
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

/** A history-based router: the current path, navigation, and change notifications. */
export interface Router {
  /** The current normalised pathname. */
  path(): string;
  /** Moves to a same-origin URL (path, search and hash kept); ignores a move to where we are. */
  navigate(to: string, options?: { replace?: boolean }): void;
  /** Calls `listener` after every path change (navigate or back/forward); returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** Collapses repeated slashes and drops a trailing slash: `//markets/` → `/markets`. */
export function normalizePath(pathname: string): string {
  const collapsed = `/${pathname}`.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** The route whose `path` equals `pathname` after normalising, if any. */
export function matchRoute<R extends { path: string }>(
  routes: readonly R[],
  pathname: string,
): R | undefined {
  const path = normalizePath(pathname);
  return routes.find((route) => route.path === path);
}

/** Creates a router over `win`'s history; it only ever navigates within `win`'s origin. */
export function createRouter(win: RouterWindow): Router {
  const listeners = new Set<() => void>();
  let current = normalizePath(win.location.pathname);

  const sync = (): void => {
    const next = normalizePath(win.location.pathname);
    if (next === current) return;
    current = next;
    for (const listener of listeners) listener();
  };

  return {
    path: () => current,
    navigate(to, options = {}) {
      const url = new URL(to, `${win.location.origin}${win.location.pathname}`);
      if (url.origin !== win.location.origin) throw new Error(`refusing to navigate off-origin to ${to}`);
      const target = `${normalizePath(url.pathname)}${url.search}${url.hash}`;
      const here = `${normalizePath(win.location.pathname)}${win.location.search}${win.location.hash}`;
      if (target === here) return;
      if (options.replace === true) win.history.replaceState(null, '', target);
      else win.history.pushState(null, '', target);
      sync();
    },
    subscribe(listener) {
      if (listeners.size === 0) win.addEventListener('popstate', sync);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) win.removeEventListener('popstate', sync);
      };
    },
  };
}

/** True for a click the router should handle itself: primary button, no modifier keys, not handled. */
export function isPlainLeftClick(event: {
  button: number;
  metaKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
}): boolean {
  return (
    event.button === 0 &&
    !event.defaultPrevented &&
    !event.metaKey &&
    !event.altKey &&
    !event.ctrlKey &&
    !event.shiftKey
  );
}
