export {
  CSP_REPORT_EXCLUSIONS,
  CSP_REPORT_TYPES,
  type CspReportMonitor,
  type CspReportOptions,
  cspReportRoutes,
} from './csp-report.routes.js';
export { type CspViolation, parseCspReports } from './csp-reports.js';
export { type HttpsOptions, readHttpsOptions } from './https-options.js';
export {
  LIGHTWEIGHT_CHARTS_STYLE,
  type SecurityHeaders,
  securityHeaders,
  type SecurityHeadersOptions,
} from './security-headers.js';
export { securityHeadersPlugin } from './security-headers.plugin.js';
export {
  type CertificatePair,
  selfSignedCertificate,
  type SelfSignedOptions,
} from './self-signed-certificate.js';
