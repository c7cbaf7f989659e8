import { lazy, Suspense } from 'react';
import type { Me } from '../../../contracts/auth.js';
import { parseThemeChoice, type ThemeChoice } from '../../app/theme.js';
import { useTheme } from '../../app/theme-context.js';

const choices: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Match the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

// Security, connections, privacy and (for admins) users load in their own chunk.
const AccountSecurity = lazy(() =>
  import('./security/account-security.js').then((m) => ({ default: m.AccountSecurity })),
);

// E-mail confirmation and linked single sign-on accounts load in their own chunk.
const LinkedIdentities = lazy(() =>
  import('./linked-identities.js').then((m) => ({ default: m.LinkedIdentities })),
);

/** Settings: who is signed in, appearance, then the lazily loaded account screens. */
export function SettingsPage({ me }: { me: Me }) {
  const { choice, resolved, setChoice } = useTheme();
  return (
    <div className="settings-list">
      <section className="panel" aria-labelledby="settings-account">
        <h2 id="settings-account">Account</h2>
        <p>
          Signed in as <strong data-testid="settings-email">{me.email}</strong> ({me.role}).
        </p>
      </section>
      <section className="panel" aria-labelledby="settings-theme">
        <h2 id="settings-theme">Appearance</h2>
        <fieldset className="theme-choice">
          <legend className="visually-hidden">Theme</legend>
          {choices.map((option) => (
            <label key={option.value}>
              <input
                type="radio"
                name="theme"
                value={option.value}
                checked={choice === option.value}
                onChange={(event) => setChoice(parseThemeChoice(event.target.value))}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
        <p className="muted">Showing the {resolved} theme. The choice is kept in this browser.</p>
      </section>
      <Suspense fallback={null}>
        <LinkedIdentities me={me} />
      </Suspense>
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <AccountSecurity me={me} />
      </Suspense>
    </div>
  );
}
