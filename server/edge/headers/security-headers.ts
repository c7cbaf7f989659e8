/** Options of {@link securityHeaders}; every field has a default. */
export interface SecurityHeadersOptions {
  /** Where browsers send CSP violation reports (default /api/v1/csp-report). */
  reportPath?: string;
  /** Extra `style-src` hashes, e.g. for a library's fixed inline <style>. */
  styleHashes?: readonly string[];
  /** Features the app never uses, turned off in Permissions-Policy. */
  deniedFeatures?: readonly string[];
  /** HSTS max-age in seconds, sent only on HTTPS responses (default one year). */
  hstsMaxAge?: number;
}

/** The compiled headers, built once: every response gets `always`, HTTPS responses `httpsOnly` too. */
export interface SecurityHeaders {
  /** Sent on every response. */
  always: Readonly<Record<string, string>>;
  /** Sent only when the request came over HTTPS (directly or from a trusted proxy). */
  httpsOnly: Readonly<Record<string, string>>;
}

/** lightweight-charts injects one fixed <style> for its attribution link: allowed by hash only. */
export const LIGHTWEIGHT_CHARTS_STYLE = "'sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY='";

const DENIED_FEATURES = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'browsing-topics',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'serial',
  'usb',
  'xr-spatial-tracking',
];

/** Compiles Pulse's response headers once: strict CSP with reporting, Permissions-Policy, COOP/CORP, HSTS on HTTPS. */
export function securityHeaders(options: SecurityHeadersOptions = {}): SecurityHeaders {
  const reportPath = options.reportPath ?? '/api/v1/csp-report';
  const styleHashes = options.styleHashes ?? [LIGHTWEIGHT_CHARTS_STYLE];
  const denied = options.deniedFeatures ?? DENIED_FEATURES;
  const hstsMaxAge = options.hstsMaxAge ?? 31_536_000;
  const csp: Record<string, readonly string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", ...styleHashes],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'font-src': ["'self'"],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'report-uri': [reportPath],
    'report-to': ['csp'],
  };
  return {
    // The set helmet sends with this policy, compiled once instead of per request.
    always: {
      'content-security-policy': Object.entries(csp)
        .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
        .join(';'),
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'DENY',
      'x-permitted-cross-domain-policies': 'none',
      // The legacy XSS auditor is off: it caused leaks of its own; CSP does the job.
      'x-xss-protection': '0',
      'permissions-policy': denied.map((feature) => `${feature}=()`).join(', '),
      'reporting-endpoints': `csp="${reportPath}"`,
    },
    // HSTS over plain HTTP is ignored by browsers and wrong for a loopback install.
    httpsOnly: { 'strict-transport-security': `max-age=${hstsMaxAge}; includeSubDomains` },
  };
}
