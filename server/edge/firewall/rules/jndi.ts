import { fieldRule, patternRule } from '../rule.js';
import type { FieldRule, Target } from '../types.js';

const INNERMOST = /\$\{([^${}]*)\}/g;
const JNDI = /\$\{\s*jndi\s*:|jndi\s*:\s*(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?):/;

/** Resolves log4j lookups that only obfuscate (`${lower:j}`, `${::-n}`, `${env:X:-d}`) until `${jndi:` shows. */
export function resolveLookups(input: string): string {
  let value = input;
  for (let round = 0; round < 12 && value.includes('${'); round++) {
    let changed = false;
    const next = value.replace(INNERMOST, (whole, body: string) => {
      if (/^\s*jndi\s*:/.test(body)) return whole;
      changed = true;
      const fallback = body.lastIndexOf(':-');
      if (fallback !== -1) return body.slice(fallback + 2);
      const colon = body.indexOf(':');
      const rest = colon === -1 ? body : body.slice(colon + 1);
      return rest.replace(/^'(.*)'$/, '$1');
    });
    if (!changed) break;
    value = next;
  }
  return value;
}

function jndi(target: Target): string | undefined {
  const value = target.value;
  if (!value.includes('${') && !value.includes('jndi')) return undefined;
  if (JNDI.test(value)) return value.slice(0, 60);
  const resolved = resolveLookups(value);
  return resolved !== value && JNDI.test(resolved) ? resolved.slice(0, 60) : undefined;
}

/** Log4Shell: JNDI lookups, with nested obfuscation, in any header, cookie or argument. */
export const JNDI_RULES: readonly FieldRule[] = [
  fieldRule({
    id: 'jndi.lookup',
    family: 'jndi',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    allHeaders: true,
    message: 'Log4Shell: JNDI lookup',
    match: jndi,
  }),
  patternRule({
    id: 'jndi.nested-lookup',
    family: 'jndi',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    allHeaders: true,
    message: 'Log4Shell: nested or environment lookup',
    pattern:
      /\$\{[^}]{0,15}\$\{|\$\{\s*(?:env|sys|java|ctx|main|bundle|docker|k8s|spring|web|jvm|lower|upper|base64|marker|sd|map|event|log4j|date)\s*:/,
  }),
];
