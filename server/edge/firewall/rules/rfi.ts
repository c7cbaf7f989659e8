import { ARG_KINDS, patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

/** Remote file inclusion: URLs that point a server-side include at another host. */
export const RFI_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'rfi.ip-url',
    family: 'rfi',
    severity: 'critical',
    paranoia: 1,
    kinds: ARG_KINDS,
    message: 'Remote file inclusion: URL to a bare IP address',
    pattern: /^(?:file|ftps?|https?):\/\/(?:[^/@]*@)?\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/,
  }),
  patternRule({
    id: 'rfi.include-call',
    family: 'rfi',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    kinds: ARG_KINDS,
    message: 'Remote file inclusion: include/require of a URL',
    pattern: /\b(?:include|require)(?:_once)?\s*[(\s]\s*['"]?\s*(?:file|ftps?|https?):\/\//,
  }),
  patternRule({
    id: 'rfi.trailing-question',
    family: 'rfi',
    severity: 'critical',
    paranoia: 1,
    kinds: ARG_KINDS,
    message: 'Remote file inclusion: URL ending in ? or #',
    pattern: /^(?:ftps?|https?):\/\/[^\s]*[?#]+$/,
  }),
  patternRule({
    id: 'rfi.off-domain',
    family: 'rfi',
    severity: 'critical',
    paranoia: 2,
    kinds: ARG_KINDS,
    message: 'Remote file inclusion: URL-valued argument',
    pattern: /^\s*(?:ftps?|https?|file):\/\/[^\s]/,
  }),
];
