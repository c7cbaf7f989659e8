import { useId } from 'react';
import { parseThemeChoice } from './theme.js';
import { useTheme } from './theme-context.js';

/** The top bar's theme switch: System, Light or Dark. */
export function ThemeSelect() {
  const id = useId();
  const { choice, setChoice } = useTheme();
  return (
    <span>
      <label htmlFor={id} className="visually-hidden">
        Theme
      </label>
      <select id={id} value={choice} onChange={(event) => setChoice(parseThemeChoice(event.target.value))}>
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </span>
  );
}
