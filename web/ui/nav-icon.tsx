/** Names of the navigation icons. */
export type NavIconName = 'dashboard' | 'markets' | 'trade' | 'portfolio' | 'signals' | 'settings' | 'admin';

const paths: Record<NavIconName, string> = {
  dashboard: 'M3 3h8v10H3zM13 3h8v6h-8zM13 11h8v10h-8zM3 15h8v6H3z',
  markets: 'M3 17l5-6 4 3 6-8 3 3M3 21h18',
  trade: 'M7 4v16M7 4l-3 3M7 4l3 3M17 20V4M17 20l-3-3M17 20l3-3',
  portfolio: 'M3 7h18v13H3zM8 7V4h8v3M3 12h18',
  signals: 'M12 3v3M12 18v3M3 12h3M18 12h3M12 8a4 4 0 1 1 0 8 4 4 0 0 1 0-8z',
  settings:
    'M12 9a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM19 12l2-1-1-3-2 .2-1.5-1.5.2-2-3-1-1 2h-1.4l-1-2-3 1 .2 2L6 7.2 4 7l-1 3 2 1v2l-2 1 1 3 2-.2 1.5 1.5-.2 2 3 1 1-2h1.4l1 2 3-1-.2-2 1.5-1.5 2 .2 1-3-2-1z',
  admin: 'M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z',
};

/** A 24×24 stroke icon for the navigation; decorative (the link text names it). */
export function NavIcon({ name }: { name: NavIconName }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
