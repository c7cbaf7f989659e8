import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import type { Me } from '../../contracts/auth.js';
import { useSignOut } from '../features/account/session.js';
import { BrandMark } from '../ui/brand.js';
import { NavIcon } from '../ui/nav-icon.js';
import { Link, usePath } from './router-context.js';
import type { AppRoute } from './routes.js';
import { ThemeSelect } from './theme-select.js';

// The account badge (LIVE when orders trade real money) loads in its own chunk.
const TradingAccountBadge = lazy(() =>
  import('../features/trading/trading-account-badge.js').then((m) => ({ default: m.TradingAccountBadge })),
);

/** Props of {@link Layout}. */
export interface LayoutProps {
  me: Me;
  routes: readonly AppRoute[];
  /** The page title (the route's label, or "Not found"). */
  title: string;
  children: ReactNode;
}

/** The signed-in shell: skip link, top bar, side (or, on phones, bottom) navigation and the main region. */
export function Layout({ me, routes, title, children }: LayoutProps) {
  const path = usePath();
  const signOut = useSignOut();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    document.title = `${title} · Pulse`;
    // After a client-side navigation, move focus to the new page as a full page load would.
    if (firstRender.current) firstRender.current = false;
    else main.current?.focus();
  }, [path, title]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand" aria-label="Pulse dashboard">
          <BrandMark />
        </Link>
        <div className="topbar-tools">
          <Suspense fallback={null}>
            <TradingAccountBadge />
          </Suspense>
          <ThemeSelect />
          <span className="topbar-user" title={me.email}>
            {me.email}
          </span>
          <button
            type="button"
            className="button"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
          >
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {routes.map((route) => (
            <li key={route.path}>
              <Link href={route.path} aria-current={route.path === path ? 'page' : undefined}>
                <NavIcon name={route.icon} />
                <span>{route.label}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="main" id="main" ref={main} tabIndex={-1} aria-labelledby="page-title">
        <h1 id="page-title" className={path === '/' ? 'visually-hidden' : undefined}>
          {title}
        </h1>
        {children}
      </main>
    </div>
  );
}
