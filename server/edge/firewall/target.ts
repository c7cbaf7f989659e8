import { canonicalise, decodeAll } from './normalise.js';
import type { Target, TargetKind } from './types.js';

/** Headers whose syntax browsers fix (content negotiation, fetch metadata, framing): only header-wide rules inspect them. */
const STANDARD_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'accept-charset',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'host',
  'pragma',
  'te',
  'upgrade-insecure-requests',
  'if-none-match',
  'if-modified-since',
  'keep-alive',
  'proxy-connection',
  'priority',
  'dnt',
  'origin',
  'authorization',
  'proxy-authorization',
  'x-csrf-token',
  'x-request-id',
  'content-encoding',
  'transfer-encoding',
  'range',
  'if-match',
  'if-range',
  'expect',
]);

/** True for a header name that only header-wide rules inspect. */
export function isStandardHeader(name: string): boolean {
  return STANDARD_HEADERS.has(name) || name.startsWith('sec-');
}

/**
 * A target whose decoded and canonical forms are computed on first read, once: a header whose rule hits are cached
 * by its raw value is never normalised again.
 */
class LazyTarget implements Target {
  private decodedForm: string | undefined;
  private canonicalForm: string | undefined;
  sql?: readonly [string, string, string];

  constructor(
    readonly kind: TargetKind,
    readonly field: string,
    readonly isKey: boolean,
    readonly raw: string,
    readonly standardHeader: boolean,
  ) {}

  get decoded(): string {
    return (this.decodedForm ??= decodeAll(this.raw));
  }

  get value(): string {
    return (this.canonicalForm ??= canonicalise(this.decoded));
  }
}

/** Builds a target (decoded and canonicalised when first read); `limit` caps the inspected length. */
export function makeTarget(
  kind: TargetKind,
  field: string,
  raw: string,
  isKey: boolean,
  limit: number,
  standardHeader = false,
): Target {
  return new LazyTarget(kind, field, isKey, raw.length > limit ? raw.slice(0, limit) : raw, standardHeader);
}

/** Values no field rule can match (identifiers, numbers, timestamps): the engine skips them. */
const BORING = /^(?:[a-z0-9][a-z0-9_,-]{0,127}|[0-9][0-9.:tz+,-]{0,63})$/;

/** True when a target is too plain for all but the `plain` rules (saves the per-rule loop on typical values). */
export function isBoring(target: Target): boolean {
  return target.value.length === 0 || BORING.test(target.value);
}
