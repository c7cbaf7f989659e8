const PUBLIC_PAGES = new Set([
  '/readyz',
  '/',
  '/index.html',
  '/status',
  '/healthz',
  '/robots.txt',
  '/favicon.ico',
  '/manifest.webmanifest',
]);
const STATIC_ASSET = /^\/(?:assets\/[^?]*|[^/?]+\.(?:js|css|svg|png|ico|webp|woff2|webmanifest|txt))$/;

/** True for what a known bot may fetch: the public pages and static assets, with GET or HEAD only. */
export function isPublicForBots(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split('?')[0] ?? '';
  return PUBLIC_PAGES.has(path) || STATIC_ASSET.test(path);
}
