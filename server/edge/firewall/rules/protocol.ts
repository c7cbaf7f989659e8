import { boundedMemo } from '../../memo.js';
import type { ParseProblem, RequestContext, RequestRule } from '../types.js';

/** Protocol settings the protocol rules enforce. */
export interface ProtocolPolicy {
  allowedMethods: readonly string[];
  allowedContentTypes: readonly string[];
}

/** Methods Pulse serves. */
export const DEFAULT_METHODS: readonly string[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];
/** Body media types the engine parses (CRS defaults plus browser report and beacon types). */
export const DEFAULT_CONTENT_TYPES: readonly string[] = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/related',
  'text/xml',
  'application/xml',
  'application/soap+xml',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
  'application/reports+json',
  'text/plain',
];

const RESTRICTED_EXTENSION =
  /\.(?:asa|asax|ascx|backup|bak|bat|cdx|cer|cfg|cmd|com|conf|config|cs|csproj|csr|dat|db|dbf|dll|dos|htr|htw|ida|idc|idq|inc|ini|key|licx|lnk|log|mdb|old|pass|pdb|pem|pol|printer|pwd|rdb|resources|resx|sql|swp|sys|vb|vbs|vbproj|vsdisco|webinfo|xsd|xsx|sqlite3?|kdbx|p12|pfx|jks|keystore)$|\/\.(?:git|svn|hg|env|htaccess|htpasswd|ds_store|aws|ssh|docker|npmrc|bash_history)(?:\/|$)/i;
const RESTRICTED_HEADERS = new Set([
  'proxy',
  'lock-token',
  'content-range',
  'if',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'x-middleware-subrequest',
  'translate',
]);
const CONTROL = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/;

type Hit = { field: string; matched: string } | undefined;

/** A check reporting the first parse problem of one of `kinds`: its set made once, nothing made per request. */
function problemOf(...kinds: ParseProblem['kind'][]): (context: RequestContext) => Hit {
  const wanted = new Set(kinds);
  return (context) => {
    for (const found of context.problems)
      if (wanted.has(found.kind)) return { field: found.field, matched: `${found.kind}: ${found.detail}` };
    return undefined;
  };
}

function framing(context: RequestContext): Hit {
  const lengths = context.headers.get('content-length') ?? [];
  const encodings = context.headers.get('transfer-encoding') ?? [];
  // The usual case, one plain Content-Length or none, without building sets.
  const [only] = lengths;
  if (encodings.length === 0 && lengths.length <= 1 && (only === undefined || /^\d+$/.test(only)))
    return undefined;
  const distinct = new Set(lengths.flatMap((v) => v.split(',').map((x) => x.trim())));
  if (distinct.size > 1) return { field: 'headers.content-length', matched: [...distinct].join(',') };
  const [length] = distinct;
  if (length !== undefined && !/^\d+$/.test(length))
    return { field: 'headers.content-length', matched: length };
  if (encodings.length > 0 && lengths.length > 0)
    return { field: 'headers.transfer-encoding', matched: 'both Content-Length and Transfer-Encoding' };
  const encoding = encodings.join(',').toLowerCase().trim();
  if (encodings.length > 0 && encoding !== 'chunked')
    return { field: 'headers.transfer-encoding', matched: encoding };
  return undefined;
}

/** The verdict on one Content-Type value: the type must be allowed, and the charset, if any, one of five. */
function judgeContentType(header: string, allowed: readonly string[]): Hit | null {
  const [type = '', ...params] = header
    .toLowerCase()
    .split(';')
    .map((s) => s.trim());
  if (!allowed.includes(type)) return { field: 'headers.content-type', matched: type };
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  if (charset !== undefined && !/^(?:utf-8|iso-8859-1|iso-8859-15|windows-1252|us-ascii)$/.test(charset))
    return { field: 'headers.content-type', matched: charset };
  return null;
}

/** Clients send the same Content-Type again and again: each distinct value is judged once (up to 256 of them). */
function contentTypeRule(policy: ProtocolPolicy): (context: RequestContext) => Hit {
  const judged = boundedMemo(256, (header) => judgeContentType(header, policy.allowedContentTypes));
  return (context) => {
    if (context.bodyLength === 0) return undefined;
    const values = context.headers.get('content-type') ?? [];
    const header = context.request.contentType ?? values[0];
    if (header === undefined) return undefined;
    if (values.length > 1) return { field: 'headers.content-type', matched: values.join(' | ') };
    return judged(header) ?? undefined;
  };
}

/** Protocol enforcement: methods, framing, encodings, limits, content types and sensitive paths. */
export function protocolRules(policy: ProtocolPolicy): RequestRule[] {
  const methods = new Set(policy.allowedMethods);
  return [
    {
      id: 'protocol.method',
      headOnly: true,
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: method not allowed',
      check: (c) => (methods.has(c.method) ? undefined : { field: 'method', matched: c.method.slice(0, 32) }),
    },
    {
      id: 'protocol.request-line',
      headOnly: true,
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: malformed request target',
      check: (c) =>
        /^(?:\/|\*$)/.test(c.request.path) && !/[\s\x00-\x1f]/.test(c.request.path)
          ? undefined
          : { field: 'path', matched: c.request.path.slice(0, 64) },
    },
    {
      id: 'protocol.host-missing',
      headOnly: true,
      family: 'protocol',
      severity: 'warning',
      paranoia: 1,
      message: 'Protocol: missing or empty Host header',
      check: (c) =>
        (c.headers.get('host')?.[0] ?? '').trim() === '' ? { field: 'headers.host', matched: '' } : undefined,
    },
    {
      id: 'protocol.framing',
      headOnly: true,
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: conflicting or invalid Content-Length/Transfer-Encoding',
      check: framing,
    },
    {
      id: 'protocol.get-with-body',
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: GET or HEAD request with a body',
      check: (c) =>
        (c.method === 'GET' || c.method === 'HEAD') &&
        (c.bodyLength > 0 || Number(c.headers.get('content-length')?.[0] ?? 0) > 0)
          ? { field: 'body', matched: `${c.bodyLength} bytes` }
          : undefined,
    },
    {
      id: 'protocol.invalid-encoding',
      family: 'protocol',
      severity: 'warning',
      paranoia: 1,
      message: 'Protocol: invalid percent-encoding',
      check: problemOf('invalid-encoding'),
    },
    {
      id: 'protocol.null-byte',
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: NUL byte in the request',
      check: (c) => {
        const t = c.targets.find((x) => x.decoded.includes('\0'));
        return t ? { field: t.field, matched: '\\0' } : undefined;
      },
    },
    {
      id: 'protocol.limits',
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: argument or body limit exceeded',
      check: problemOf('too-many-args', 'arg-name-too-long', 'arg-too-long', 'body-too-large', 'too-deep'),
    },
    {
      id: 'protocol.multipart',
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: malformed multipart body',
      check: problemOf('invalid-multipart'),
    },
    {
      id: 'protocol.invalid-json',
      family: 'protocol',
      severity: 'warning',
      paranoia: 1,
      message: 'Protocol: body is not valid JSON',
      check: problemOf('invalid-json'),
    },
    {
      id: 'protocol.content-type',
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: content type or charset not allowed',
      check: contentTypeRule(policy),
    },
    {
      id: 'protocol.restricted-file',
      headOnly: true,
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: request for a restricted file type',
      check: (c) => {
        const found = RESTRICTED_EXTENSION.exec(c.targets[0]?.decoded ?? c.request.path);
        return found ? { field: 'path', matched: found[0] } : undefined;
      },
    },
    {
      id: 'protocol.restricted-header',
      headOnly: true,
      family: 'protocol',
      severity: 'critical',
      paranoia: 1,
      message: 'Protocol: restricted header',
      check: (c) => {
        for (const name of c.headers.keys())
          if (RESTRICTED_HEADERS.has(name)) return { field: `headers.${name}`, matched: name };
        return undefined;
      },
    },
    {
      id: 'protocol.control-chars',
      family: 'protocol',
      severity: 'error',
      paranoia: 2,
      message: 'Protocol: control character in an argument or header',
      check: (c) => {
        const t = c.targets.find(
          (x) => x.kind !== 'multipart' && x.kind !== 'raw' && CONTROL.test(x.decoded),
        );
        return t ? { field: t.field, matched: 'control character' } : undefined;
      },
    },
    {
      id: 'protocol.method-override',
      headOnly: true,
      family: 'protocol',
      severity: 'critical',
      paranoia: 2,
      message: 'Protocol: method override parameter',
      check: (c) =>
        c.targets.some((t) => t.isKey && t.kind === 'query' && t.value === '_method')
          ? { field: 'query._method', matched: '_method' }
          : undefined,
    },
    {
      id: 'protocol.user-agent-missing',
      headOnly: true,
      family: 'protocol',
      severity: 'notice',
      paranoia: 2,
      message: 'Protocol: missing User-Agent',
      check: (c) => (c.headers.has('user-agent') ? undefined : { field: 'headers.user-agent', matched: '' }),
    },
  ];
}
