import { patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

/** HTTP header injection, response splitting, request smuggling and mail-protocol injection through CR/LF. */
export const CRLF_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'crlf.header-injection',
    family: 'crlf',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    on: 'decoded',
    kinds: ['path', 'query', 'form', 'header', 'cookie'],
    allHeaders: true,
    message: 'Header injection: CR/LF followed by a header',
    pattern:
      /[\r\n]\s*(?:set-cookie2?|location|content-(?:type|length|disposition|security-policy)|refresh|x-[\w-]+|host|cookie|transfer-encoding|access-control-[\w-]+|link|via|connection|status|www-authenticate)\s*:|[\r\n]\s*http\/\d/i,
  }),
  patternRule({
    id: 'crlf.request-smuggling',
    family: 'crlf',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    on: 'decoded',
    kinds: ['path', 'query', 'form', 'header', 'cookie', 'raw'],
    message: 'Request smuggling: embedded request line',
    pattern:
      /(?:^|[\r\n])\s*(?:get|post|put|patch|delete|head|options|connect|trace|propfind)\s+[^\s]+\s+http\/\d[\s\S]*?[\r\n]/i,
  }),
  patternRule({
    id: 'crlf.mail-injection',
    family: 'crlf',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    on: 'decoded',
    kinds: ['query', 'form', 'json', 'multipart', 'header'],
    message: 'Mail injection: SMTP/IMAP/POP3 command after CR/LF',
    pattern:
      /[\r\n]\s*(?:(?:rcpt|mail)\s+(?:to|from)\s*:|(?:helo|ehlo|starttls|data|quit|rset|vrfy|expn)(?:\s|$)|(?:bcc|cc|to)\s*:\s*\S+@)|[\r\n]\s*[a-z]?\d+\s+(?:login|select|examine|fetch|uid|capability|list|lsub|append|store|copy|create|delete|rename|authenticate)\b|[\r\n]\s*(?:user|pass|retr|dele|stat|top|apop)\s+\S/i,
  }),
  patternRule({
    id: 'crlf.in-argument',
    family: 'crlf',
    severity: 'warning',
    paranoia: 2,
    on: 'decoded',
    kinds: ['path', 'query', 'header', 'cookie'],
    message: 'CR or LF in a URL argument or header',
    pattern: /[\r\n]/,
  }),
];
