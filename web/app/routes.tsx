import { lazy, Suspense, type ReactNode } from 'react';
import type { Me } from '../../contracts/auth.js';
import type { NavIconName } from '../ui/nav-icon.js';

/** One screen of the shell: where it lives, how the navigation names it, and what it renders. */
export interface AppRoute {
  path: string;
  label: string;
  icon: NavIconName;
  render: (me: Me) => ReactNode;
}

// The market screens (chart, quotes, watchlists) load in their own chunk, after the shell.
const DashboardPage = lazy(() =>
  import('../features/markets/dashboard-page.js').then((m) => ({ default: m.DashboardPage })),
);
const MarketsPage = lazy(() =>
  import('../features/markets/markets-page.js').then((m) => ({ default: m.MarketsPage })),
);
// Settings (profile, security, privacy, users) loads in its own chunk.
const SettingsPage = lazy(() =>
  import('../features/account/settings-page.js').then((m) => ({ default: m.SettingsPage })),
);
// The operations console (owners and admins) loads in its own chunk.
const AdminPage = lazy(() =>
  import('../features/admin/admin-page.js').then((m) => ({ default: m.AdminPage })),
);
// Trading (ticket, orders, positions) and the portfolio load in their own chunks.
const TradePage = lazy(() =>
  import('../features/trading/trade-page.js').then((m) => ({ default: m.TradePage })),
);
const PortfolioPage = lazy(() =>
  import('../features/portfolio/portfolio-page.js').then((m) => ({ default: m.PortfolioPage })),
);
// Signals (rules, alert history, channels, backtests) load in their own chunk.
const SignalsPage = lazy(() =>
  import('../features/signals/signals-page.js').then((m) => ({ default: m.SignalsPage })),
);
const loading = (page: ReactNode) => <Suspense fallback={<p className="muted">Loading…</p>}>{page}</Suspense>;

/** Every screen, in navigation order. */
export const appRoutes: readonly AppRoute[] = [
  { path: '/', label: 'Dashboard', icon: 'dashboard', render: () => loading(<DashboardPage />) },
  {
    path: '/markets',
    label: 'Markets',
    icon: 'markets',
    render: () => loading(<MarketsPage />),
  },
  {
    path: '/trade',
    label: 'Trade',
    icon: 'trade',
    render: () => loading(<TradePage />),
  },
  {
    path: '/portfolio',
    label: 'Portfolio',
    icon: 'portfolio',
    render: () => loading(<PortfolioPage />),
  },
  {
    path: '/signals',
    label: 'Signals',
    icon: 'signals',
    render: () => loading(<SignalsPage />),
  },
  {
    path: '/settings',
    label: 'Settings',
    icon: 'settings',
    render: (me) => loading(<SettingsPage me={me} />),
  },
  {
    path: '/admin',
    label: 'Admin',
    icon: 'admin',
    render: (me) => loading(<AdminPage me={me} />),
  },
];
