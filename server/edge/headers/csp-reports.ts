/** One CSP violation, normalised from either report format; strings are cut to 512 characters. */
export interface CspViolation {
  at: string;
  documentUrl: string;
  blockedUrl: string;
  directive: string;
  disposition: string;
  sourceFile?: string;
  line?: number;
  sample?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 512) : '');
const optionalText = (value: unknown) =>
  typeof value === 'string' && value !== '' ? { v: value.slice(0, 512) } : undefined;

/** The directive part of `script-src-elem 'self'` style values. */
const directiveName = (value: unknown) => text(value).split(' ')[0] ?? '';

function fromLegacy(report: Json, at: string): CspViolation {
  const sourceFile = optionalText(report['source-file']);
  const sample = optionalText(report['script-sample']);
  const line = report['line-number'];
  return {
    at,
    documentUrl: text(report['document-uri']),
    blockedUrl: text(report['blocked-uri']),
    directive: directiveName(report['effective-directive'] ?? report['violated-directive']),
    disposition: text(report.disposition) || 'enforce',
    ...(sourceFile && { sourceFile: sourceFile.v }),
    ...(typeof line === 'number' && { line }),
    ...(sample && { sample: sample.v }),
  };
}

function fromReportingApi(body: Json, at: string): CspViolation {
  const sourceFile = optionalText(body.sourceFile);
  const sample = optionalText(body.sample);
  return {
    at,
    documentUrl: text(body.documentURL),
    blockedUrl: text(body.blockedURL),
    directive: directiveName(body.effectiveDirective),
    disposition: text(body.disposition) || 'enforce',
    ...(sourceFile && { sourceFile: sourceFile.v }),
    ...(typeof body.lineNumber === 'number' && { line: body.lineNumber }),
    ...(sample && { sample: sample.v }),
  };
}

/**
 * Reads `application/csp-report` (`{"csp-report": {...}}`, CSP2 `report-uri`) or `application/reports+json`
 * (an array of Reporting API reports; only `csp-violation` ones are kept). Undefined when it is neither.
 */
export function parseCspReports(payload: unknown, at: string): CspViolation[] | undefined {
  if (isObject(payload) && isObject(payload['csp-report'])) return [fromLegacy(payload['csp-report'], at)];
  if (!Array.isArray(payload)) return undefined;
  return payload
    .filter(
      (report): report is Json =>
        isObject(report) && report.type === 'csp-violation' && isObject(report.body),
    )
    .slice(0, 100)
    .map((report) => fromReportingApi(report.body as Json, at));
}
