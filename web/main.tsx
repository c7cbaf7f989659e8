import './app/zod-config.js';
import { QueryCache, QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/api-client.js';
import { isApiError } from './api/api-error.js';
import { createOfflineCache, withOfflineCache } from './api/offline-cache.js';
import { App } from './app/app.js';
import { createRouter } from './app/router.js';
import { browserThemeEnvironment, createThemeController } from './app/theme.js';
import { sessionKeys } from './features/account/session.js';
import './app/styles.css';

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      // A session that ended on the server (expiry, sign-out elsewhere) shows the sign-in form.
      if (query.queryKey[0] !== sessionKeys.me[0] && isApiError(error, 'AUTH_REQUIRED')) {
        queryClient.setQueryData(sessionKeys.me, null);
      }
    },
  }),
  defaultOptions: {
    queries: {
      retry: (count, error) => count < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: false,
    },
  },
});

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();
const { api, tracker } = withOfflineCache(createApiClient(), createOfflineCache(storage));
window.addEventListener('offline', () => tracker.setBrowserOnline(false));

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

// Errors and web vitals (ops intake) load in their own chunk once the page has painted.
window.addEventListener('load', () => void import('./api/vitals.js').then((m) => m.startTelemetry(window)));

createRoot(root).render(
  <StrictMode>
    <App
      services={{
        api,
        offline: tracker,
        queryClient,
        router: createRouter(window),
        theme: createThemeController(browserThemeEnvironment()),
      }}
    />
  </StrictMode>,
);
