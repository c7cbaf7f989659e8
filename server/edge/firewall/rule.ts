import type { FieldRule, Paranoia, RuleFamily, Severity, Target, TargetKind } from './types.js';

/** The descriptive part of a rule. */
export interface RuleSpec {
  id: string;
  family: RuleFamily;
  severity: Severity;
  paranoia: Paranoia;
  message: string;
  /** Default false: free-text fields skip the rule. */
  highConfidence?: boolean;
  /** Default: every kind except file names. */
  kinds?: readonly TargetKind[];
  allHeaders?: boolean;
  /** Default false: runs on plain identifiers and numbers too. */
  plain?: boolean;
  /** Default true: argument names and JSON keys are inspected too. */
  keys?: boolean;
}

/** Kinds that carry client-chosen values. */
export const VALUE_KINDS: readonly TargetKind[] = [
  'path',
  'query',
  'form',
  'json',
  'multipart',
  'xml',
  'raw',
  'header',
  'cookie',
];
/** Argument-like kinds: no headers, cookies or path. */
export const ARG_KINDS: readonly TargetKind[] = ['query', 'form', 'json', 'multipart', 'xml', 'raw'];

/** Builds a field rule from a spec and a matcher. */
export function fieldRule(spec: RuleSpec & { match(target: Target): string | undefined }): FieldRule {
  const keys = spec.keys ?? true;
  const match = spec.match;
  return {
    id: spec.id,
    family: spec.family,
    severity: spec.severity,
    paranoia: spec.paranoia,
    message: spec.message,
    highConfidence: spec.highConfidence ?? false,
    kinds: new Set(spec.kinds ?? VALUE_KINDS),
    allHeaders: spec.allHeaders ?? false,
    plain: spec.plain ?? false,
    match: keys ? match : (target) => (target.isKey ? undefined : match(target)),
  };
}

/** Builds a field rule that matches a compiled pattern against one form of the value (default: canonical). */
export function patternRule(
  spec: RuleSpec & { pattern: RegExp; on?: 'value' | 'decoded' | 'raw' },
): FieldRule {
  const { pattern } = spec;
  const on = spec.on ?? 'value';
  if (pattern.global || pattern.sticky)
    throw new Error(`rule ${spec.id}: pattern must not be global or sticky`);
  return fieldRule({ ...spec, match: (target) => pattern.exec(target[on])?.[0] });
}
