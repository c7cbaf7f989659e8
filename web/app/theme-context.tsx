import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ThemeController, ThemeState } from './theme.js';

const ThemeContext = createContext<ThemeController | null>(null);

/** Makes a theme controller available to {@link useTheme}. */
export const ThemeProvider = ThemeContext.Provider;

/** The theme state and its setter; re-renders when either the choice or the system theme changes. */
export function useTheme(): ThemeState & { setChoice: ThemeController['setChoice'] } {
  const controller = useContext(ThemeContext);
  if (controller === null) throw new Error('useTheme needs a ThemeProvider');
  const state = useSyncExternalStore(controller.subscribe, controller.state, controller.state);
  return { ...state, setChoice: controller.setChoice };
}
