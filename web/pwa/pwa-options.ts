import type { VitePWAOptions } from 'vite-plugin-pwa';

/** Pulse's installable-app and offline policy: shell precached, market data network-first. */
export const pwaOptions: Partial<VitePWAOptions> = {
  strategies: 'generateSW',
  registerType: 'autoUpdate',
  injectRegister: 'script-defer',
  includeAssets: ['icon.svg', 'theme-init.js', 'push-sw.js'],
  manifest: {
    name: 'Pulse',
    short_name: 'Pulse',
    description: 'Self-hosted trading for US stocks',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#0b1120',
    theme_color: '#0b1120',
    icons: [
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      { src: '/icon-maskable.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
    navigateFallback: 'index.html',
    navigateFallbackDenylist: [/^\/api\//, /^\/healthz/, /^\/readyz/, /^\/metrics/],
    cleanupOutdatedCaches: true,
    // Web push: shows notifications sent by the server (server/notify) and opens their link on click.
    importScripts: ['/push-sw.js'],
    runtimeCaching: [
      {
        urlPattern: ({ url, sameOrigin }) =>
          sameOrigin && (url.pathname === '/api/v1/bars' || url.pathname === '/api/v1/assets'),
        method: 'GET',
        handler: 'NetworkFirst',
        options: {
          cacheName: 'pulse-market-data',
          networkTimeoutSeconds: 5,
          expiration: { maxEntries: 100, maxAgeSeconds: 7 * 24 * 3600 },
          cacheableResponse: { statuses: [200] },
        },
      },
    ],
  },
};
