/** What the user picked: follow the system, or a fixed theme. */
export type ThemeChoice = 'system' | 'light' | 'dark';
/** The theme actually applied. */
export type ResolvedTheme = 'light' | 'dark';
/** The current choice and what it resolves to; a new object on every change. */
export interface ThemeState {
  readonly choice: ThemeChoice;
  readonly resolved: ResolvedTheme;
}

/** localStorage key of the choice; web/public/theme-init.js reads it before first paint. */
export const THEME_STORAGE_KEY = 'pulse.theme';
/** The `theme-color` of each theme (the top bar background), for the browser chrome. */
export const THEME_COLORS: Record<ResolvedTheme, string> = { dark: '#0b1120', light: '#f8fafc' };

/** Reads a stored value as a choice; anything unknown means 'system'. */
export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** The theme a choice shows, given whether the system prefers dark. */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): ResolvedTheme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/** What the theme controller needs from the page; null storage means storage is blocked. */
export interface ThemeEnvironment {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  media: {
    matches: boolean;
    addEventListener(type: 'change', listener: () => void): void;
  };
  apply(theme: ResolvedTheme): void;
}

/** Holds the theme choice, persists it, follows the system when asked, and applies the result. */
export interface ThemeController {
  state(): ThemeState;
  setChoice(choice: ThemeChoice): void;
  subscribe(listener: () => void): () => void;
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Creates the controller and applies the stored (or system) theme at once. */
export function createThemeController(env: ThemeEnvironment): ThemeController {
  const listeners = new Set<() => void>();
  const initial = parseThemeChoice(safely(() => env.storage?.getItem(THEME_STORAGE_KEY), null));
  let state: ThemeState = { choice: initial, resolved: resolveTheme(initial, env.media.matches) };
  env.apply(state.resolved);

  const update = (choice: ThemeChoice): void => {
    const resolved = resolveTheme(choice, env.media.matches);
    if (choice === state.choice && resolved === state.resolved) return;
    state = { choice, resolved };
    env.apply(resolved);
    for (const listener of listeners) listener();
  };

  env.media.addEventListener('change', () => update(state.choice));

  return {
    state: () => state,
    setChoice(choice) {
      safely(() => {
        if (choice === 'system') env.storage?.removeItem(THEME_STORAGE_KEY);
        else env.storage?.setItem(THEME_STORAGE_KEY, choice);
      }, undefined);
      update(choice);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The browser environment: localStorage, the prefers-color-scheme query, and `<html data-theme>`. */
export function browserThemeEnvironment(): ThemeEnvironment {
  return {
    storage: safely(() => window.localStorage, null),
    media: window.matchMedia('(prefers-color-scheme: dark)'),
    apply(theme) {
      document.documentElement.dataset.theme = theme;
      document.querySelector('meta[name="theme-color"]')?.setAttribute('content', THEME_COLORS[theme]);
    },
  };
}
