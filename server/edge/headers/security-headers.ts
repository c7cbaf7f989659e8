import type { FastifyHelmetOptions } from '@fastify/helmet';

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

/** The compiled headers: helmet's options plus the headers helmet does not set. */
export interface SecurityHeaders {
  helmet: FastifyHelmetOptions;
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
  'publickey-credentials-get',
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
  return {
    helmet: {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", ...styleHashes],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          reportUri: [reportPath],
          reportTo: ['csp'],
        },
      },
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      // HSTS over plain HTTP is ignored by browsers and wrong for a loopback install: sent from `httpsOnly`.
      hsts: false,
      referrerPolicy: { policy: 'no-referrer' },
    },
    always: {
      'permissions-policy': denied.map((feature) => `${feature}=()`).join(', '),
      'reporting-endpoints': `csp="${reportPath}"`,
    },
    httpsOnly: { 'strict-transport-security': `max-age=${hstsMaxAge}; includeSubDomains` },
  };
}
