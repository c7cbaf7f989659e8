import type { FieldRule } from '../types.js';
import { CRLF_RULES } from './crlf.js';
import { JAVA_RULES } from './java.js';
import { JNDI_RULES } from './jndi.js';
import { LFI_RULES } from './lfi.js';
import { NODE_RULES } from './node.js';
import { NOSQL_RULES } from './nosql.js';
import { PHP_RULES } from './php.js';
import { RCE_RULES } from './rce.js';
import { RFI_RULES } from './rfi.js';
import { SESSION_RULES } from './session.js';
import { SQLI_RULES } from './sqli.js';
import { SSRF_RULES } from './ssrf.js';
import { TEMPLATE_RULES } from './template.js';
import { XSS_RULES } from './xss.js';

export { protocolRules, DEFAULT_CONTENT_TYPES, DEFAULT_METHODS, type ProtocolPolicy } from './protocol.js';
export { SCANNER_RULES } from './scanner.js';

/** Every field rule, cheapest and most decisive families first. */
export const FIELD_RULES: readonly FieldRule[] = [
  ...JNDI_RULES,
  ...NOSQL_RULES,
  ...SESSION_RULES,
  ...CRLF_RULES,
  ...SQLI_RULES,
  ...XSS_RULES,
  ...LFI_RULES,
  ...RFI_RULES,
  ...SSRF_RULES,
  ...RCE_RULES,
  ...PHP_RULES,
  ...NODE_RULES,
  ...JAVA_RULES,
  ...TEMPLATE_RULES,
];
