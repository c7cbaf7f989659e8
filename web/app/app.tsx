import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { ApiProvider } from '../api/api-context.js';
import type { OfflineTracker } from '../api/offline-cache.js';
import { OfflineProvider } from '../api/offline-context.js';
import { StreamProvider } from '../api/stream-context.js';
import { AuthGate } from '../features/account/auth-gate.js';
import { ErrorBoundary } from './error-boundary.js';
import { Layout } from './layout.js';
import type { Router } from './router.js';
import { RouterProvider, usePath } from './router-context.js';
import { matchRoute } from './router.js';
import { appRoutes } from './routes.js';
import type { Me } from '../../contracts/auth.js';
import type { ThemeController } from './theme.js';
import { ThemeProvider } from './theme-context.js';

/** Everything the app needs from outside; main.tsx passes the browser's, tests their own. */
export interface AppServices {
  api: ApiClient;
  queryClient: QueryClient;
  router: Router;
  theme: ThemeController;
  /** Reports when the API answers from the offline cache; absent means no offline cache. */
  offline?: OfflineTracker;
}

function SignedInApp({ me }: { me: Me }) {
  const path = usePath();
  const route = matchRoute(appRoutes, path);
  return (
    <StreamProvider>
      <Layout me={me} routes={appRoutes} title={route?.label ?? 'Page not found'}>
        <ErrorBoundary resetKey={path}>
          {route === undefined ? (
            <section className="panel">
              <p>There is no page at {path}.</p>
            </section>
          ) : (
            route.render(me)
          )}
        </ErrorBoundary>
      </Layout>
    </StreamProvider>
  );
}

function OfflineGate({ tracker, children }: { tracker: OfflineTracker | undefined; children: ReactNode }) {
  return tracker === undefined ? children : <OfflineProvider value={tracker}>{children}</OfflineProvider>;
}

/** The Pulse app: providers, the sign-in gate, and the routed shell. */
export function App({ services }: { services: AppServices }) {
  return (
    <ErrorBoundary>
      <QueryClientProvider client={services.queryClient}>
        <ApiProvider value={services.api}>
          <OfflineGate tracker={services.offline}>
            <ThemeProvider value={services.theme}>
              <RouterProvider value={services.router}>
                <AuthGate>{(me) => <SignedInApp me={me} />}</AuthGate>
              </RouterProvider>
            </ThemeProvider>
          </OfflineGate>
        </ApiProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
