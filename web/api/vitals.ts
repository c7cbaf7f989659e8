import type { ErrorReport, VitalsReport } from '../../contracts/ops.js';

/** Where this browser's answer is kept: 'on' or 'off'. */
export const TELEMETRY_CONSENT_KEY = 'pulse.telemetry';
const MAX_BYTES = 16 * 1024;
const MAX_ERRORS_PER_PAGE = 30;

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'> | null;

/**
 * Whether this browser sends diagnostics (errors, web vitals) to its own Pulse server. They never
 * leave the self-hosted server and carry no user id, so the default is on; Do Not Track or Global
 * Privacy Control turn the default off, and an explicit choice (the admin page's switch) wins.
 */
export function telemetryConsent(
  storage: Storage,
  nav: { doNotTrack?: string | null; globalPrivacyControl?: boolean },
): boolean {
  const stored = storage?.getItem(TELEMETRY_CONSENT_KEY);
  if (stored === 'on' || stored === 'off') return stored === 'on';
  return nav.doNotTrack !== '1' && nav.globalPrivacyControl !== true;
}

/** Stores the user's answer. */
export function setTelemetryConsent(storage: Storage, on: boolean): void {
  storage?.setItem(TELEMETRY_CONSENT_KEY, on ? 'on' : 'off');
}

/** A route without ids: /orders/1f3a… → /orders/:id. */
export function routeOf(pathname: string): string {
  return pathname.replace(/\/(\d+|[0-9a-f]{8}-[0-9a-f-]{27,})(?=\/|$)/gi, '/:id').slice(0, 200) || '/';
}

/** Sends one report without cookies (so no CSRF token is needed) and outliving the page (keepalive). */
export function sendReport(
  path: string,
  body: VitalsReport | ErrorReport,
  doFetch: typeof fetch = globalThis.fetch,
): boolean {
  const text = JSON.stringify(body);
  if (text.length > MAX_BYTES) return false;
  void doFetch(path, {
    method: 'POST',
    keepalive: true,
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: text,
  }).catch(() => undefined);
  return true;
}

/** Starts reporting uncaught errors and web vitals (web-vitals loads in its own chunk); call after first paint. */
export function startTelemetry(win: Window): void {
  let storage: Storage = null;
  try {
    storage = win.localStorage;
  } catch {
    storage = null;
  }
  if (!telemetryConsent(storage, win.navigator as Navigator & { globalPrivacyControl?: boolean })) return;
  // The entry bundle's name (index-<hash>) identifies the build without any configuration.
  const entry = win.document.querySelector('script[type="module"][src]')?.getAttribute('src') ?? '';
  const release = /([\w-]+)\.js$/.exec(entry)?.[1] ?? 'dev';
  const browser = win.navigator.userAgent.slice(0, 200);
  let sent = 0;
  const errors: ErrorReport['errors'] = [];
  const vitals: VitalsReport['samples'] = [];
  const flush = () => {
    if (errors.length > 0)
      sendReport('/api/v1/intake/errors', {
        release,
        browser,
        route: routeOf(win.location.pathname),
        errors: errors.splice(0, 10),
      });
    if (vitals.length > 0)
      sendReport('/api/v1/intake/vitals', { release, browser, samples: vitals.splice(0, 20) });
  };
  const capture = (kind: 'error' | 'unhandledrejection', value: unknown) => {
    if (sent >= MAX_ERRORS_PER_PAGE) return;
    sent += 1;
    const error = value instanceof Error ? value : new Error(String(value));
    errors.push({
      kind,
      type: error.name.slice(0, 100),
      message: error.message.slice(0, 1_000),
      ...(error.stack && { stack: error.stack.slice(0, 8_000) }),
    });
    win.setTimeout(flush, 2_000);
  };
  win.addEventListener('error', (event) => capture('error', event.error ?? event.message));
  win.addEventListener('unhandledrejection', (event) => capture('unhandledrejection', event.reason));
  win.addEventListener('visibilitychange', () => {
    if (win.document.visibilityState === 'hidden') flush();
  });
  void import('web-vitals').then(({ onCLS, onFCP, onINP, onLCP, onTTFB }) => {
    const record = (metric: {
      name: string;
      value: number;
      rating: 'good' | 'needs-improvement' | 'poor';
    }) => {
      vitals.push({
        name: metric.name as VitalsReport['samples'][number]['name'],
        value: metric.value,
        rating: metric.rating,
        route: routeOf(win.location.pathname),
      });
      if (vitals.length >= 20) flush();
    };
    for (const on of [onCLS, onFCP, onINP, onLCP, onTTFB]) on(record);
  });
}
