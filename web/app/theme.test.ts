import { describe, expect, it, vi } from 'vitest';
import {
  THEME_STORAGE_KEY,
  createThemeController,
  parseThemeChoice,
  resolveTheme,
  type ResolvedTheme,
  type ThemeEnvironment,
} from './theme.js';

function fakeEnvironment(options: { stored?: string; systemDark?: boolean; storageThrows?: boolean } = {}) {
  const store = new Map<string, string>();
  if (options.stored !== undefined) store.set(THEME_STORAGE_KEY, options.stored);
  const mediaListeners: (() => void)[] = [];
  const applied: ResolvedTheme[] = [];
  const guard = (): void => {
    if (options.storageThrows === true) throw new DOMException('blocked', 'SecurityError');
  };
  const media = {
    matches: options.systemDark ?? false,
    addEventListener: (_type: 'change', listener: () => void) => mediaListeners.push(listener),
  };
  const env: ThemeEnvironment = {
    storage: {
      getItem: (key) => (guard(), store.get(key) ?? null),
      setItem: (key, value) => (guard(), void store.set(key, value)),
      removeItem: (key) => (guard(), void store.delete(key)),
    },
    media,
    apply: (theme) => applied.push(theme),
  };
  const setSystemDark = (dark: boolean): void => {
    media.matches = dark;
    for (const listener of mediaListeners) listener();
  };
  return { env, store, applied, setSystemDark };
}

describe('parseThemeChoice', () => {
  it('keeps light and dark and treats anything else as system', () => {
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('purple')).toBe('system');
    expect(parseThemeChoice(null)).toBe('system');
  });
});

describe('resolveTheme', () => {
  it('follows the system only for the system choice', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});

describe('createThemeController', () => {
  it('applies the system theme at once when nothing is stored', () => {
    const { env, applied } = fakeEnvironment({ systemDark: true });
    const controller = createThemeController(env);
    expect(controller.state()).toEqual({ choice: 'system', resolved: 'dark' });
    expect(applied).toEqual(['dark']);
  });

  it('restores a stored choice over the system preference', () => {
    const { env } = fakeEnvironment({ stored: 'light', systemDark: true });
    expect(createThemeController(env).state()).toEqual({ choice: 'light', resolved: 'light' });
  });

  it('persists a new choice, applies it and notifies subscribers', () => {
    const { env, store, applied } = fakeEnvironment();
    const controller = createThemeController(env);
    const listener = vi.fn();
    controller.subscribe(listener);
    controller.setChoice('dark');
    expect(store.get(THEME_STORAGE_KEY)).toBe('dark');
    expect(applied.at(-1)).toBe('dark');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('forgets the stored choice when switching back to system', () => {
    const { env, store } = fakeEnvironment({ stored: 'dark' });
    createThemeController(env).setChoice('system');
    expect(store.has(THEME_STORAGE_KEY)).toBe(false);
  });

  it('follows a system change while on system, and ignores it on a fixed choice', () => {
    const { env, applied, setSystemDark } = fakeEnvironment({ systemDark: false });
    const controller = createThemeController(env);
    setSystemDark(true);
    expect(controller.state().resolved).toBe('dark');
    controller.setChoice('light');
    setSystemDark(false);
    setSystemDark(true);
    expect(controller.state().resolved).toBe('light');
    expect(applied).toEqual(['light', 'dark', 'light']);
  });

  it('still switches themes when storage is blocked', () => {
    const { env } = fakeEnvironment({ storageThrows: true, systemDark: true });
    const controller = createThemeController(env);
    controller.setChoice('light');
    expect(controller.state()).toEqual({ choice: 'light', resolved: 'light' });
  });

  it('keeps the same state object when nothing changed', () => {
    const { env } = fakeEnvironment();
    const controller = createThemeController(env);
    const before = controller.state();
    controller.setChoice('system');
    expect(controller.state()).toBe(before);
  });
});
