import { ARG_KINDS, fieldRule, patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

const URL_HOST =
  /\b([a-z][a-z0-9+.-]{1,15}):(?:\/\/|\\\\)?(?:[^\s/@?#'"<>]*@)?(\[[^\]\s]+\]|[^\s/\\?#:'"<>,;)]+)/g;
const PRIVATE_NAMES =
  /^(?:localhost|localhost\.localdomain|ip6-localhost|ip6-loopback|metadata|metadata\.google\.internal|instance-data|[\w-]+\.localhost|[\w.-]+\.internal|kubernetes\.default(?:\.svc)?)\.?$/;
const EMBEDDED_IP = /(?:^|\.)(\d{1,3}[.-]\d{1,3}[.-]\d{1,3}[.-]\d{1,3})\.(?:nip|sslip|xip)\.io$/;

/** Parses an IPv4 host the way inet_aton does (decimal, 0x hex and 0-octal parts, 1–4 parts); NaN if not one. */
export function parseIpv4(host: string): number {
  const parts = host.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return NaN;
  const nums = parts.map((p) =>
    /^0x[0-9a-f]*$/.test(p)
      ? parseInt(p.slice(2) || '0', 16)
      : /^0[0-7]*$/.test(p)
        ? parseInt(p, 8)
        : /^[1-9]\d*$/.test(p)
          ? Number(p)
          : NaN,
  );
  if (nums.some((n) => !Number.isFinite(n))) return NaN;
  const last = nums[nums.length - 1] ?? 0;
  const head = nums.slice(0, -1);
  if (head.some((n) => n > 255) || last >= 2 ** (8 * (4 - head.length))) return NaN;
  return head.reduce((acc, n, i) => acc + n * 2 ** (8 * (3 - i)), 0) + last;
}

function isPrivateIpv4(ip: number): boolean {
  const a = Math.floor(ip / 2 ** 24);
  const b = Math.floor(ip / 2 ** 16) % 256;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

function isPrivateIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (h === '::1' || h === '::' || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(h)) return true;
  if (/^fe[89ab][0-9a-f]?:/.test(h) || /^f[cd][0-9a-f]{0,2}:/.test(h)) return true;
  const mapped = /^(?:0*:)*:?ffff:(.+)$/.exec(h)?.[1];
  if (mapped === undefined) return false;
  if (mapped.includes('.')) return isPrivateIpv4(parseIpv4(mapped));
  const [hi, lo] = mapped.split(':').map((x) => parseInt(x, 16));
  return hi !== undefined && lo !== undefined && isPrivateIpv4(hi * 65536 + lo);
}

/** True when a URL host names a loopback, private, link-local or metadata address, in any encoding. */
export function isInternalHost(rawHost: string): boolean {
  const host = rawHost.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || host.includes(':')) return isPrivateIpv6(host);
  if (PRIVATE_NAMES.test(host)) return true;
  const embedded = EMBEDDED_IP.exec(host)?.[1];
  if (embedded !== undefined) return isPrivateIpv4(parseIpv4(embedded.replaceAll('-', '.')));
  const ip = parseIpv4(host);
  return Number.isFinite(ip) && isPrivateIpv4(ip);
}

function internalUrl(value: string): string | undefined {
  if (!value.includes(':')) return undefined;
  URL_HOST.lastIndex = 0;
  let found: RegExpExecArray | null;
  while ((found = URL_HOST.exec(value)) !== null) {
    const host = found[2] ?? '';
    const bare = host.startsWith('[') ? host : host.replace(/:\d*$/, '');
    if (isInternalHost(bare)) return found[0];
  }
  return undefined;
}

/** Server-side request forgery: URL-valued arguments aimed at internal or metadata addresses, or at odd schemes. */
export const SSRF_RULES: readonly FieldRule[] = [
  fieldRule({
    id: 'ssrf.internal-host',
    family: 'ssrf',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    kinds: ARG_KINDS,
    keys: false,
    message: 'SSRF: URL to a loopback, private, link-local or metadata address',
    match: (target) => internalUrl(target.value),
  }),
  patternRule({
    id: 'ssrf.scheme',
    family: 'ssrf',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    kinds: ARG_KINDS,
    keys: false,
    message: 'SSRF: URL with a gopher/dict/ldap/tftp/jar/netdoc/file scheme',
    pattern: /(?:^|[\s"'=(])(?:gopher|dict|ldaps?|tftp|jar|netdoc|sftp|file):\/\//,
  }),
  patternRule({
    id: 'ssrf.metadata-path',
    family: 'ssrf',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    kinds: ARG_KINDS,
    keys: false,
    message: 'SSRF: cloud metadata endpoint path',
    pattern:
      /\/latest\/(?:meta-data|user-data|api\/token)|\/computemetadata\/v1|\/metadata\/(?:instance|identity)\b|\/openstack\/latest/,
  }),
];
