import { fieldRule, patternRule } from '../rule.js';
import type { FieldRule, Target } from '../types.js';

const OPERATOR_KEY =
  /(?:^|\[)\$(?:where|ne|eq|gt|gte|lt|lte|in|nin|regex|exists|expr|function|accumulator|or|and|not|nor|elemmatch|size|type|all|mod|text|jsonschema|lookup|set|unset|push|rename|inc|options)(?:\]|$)/;
const PROTO_FIELD =
  /(?:^|[.[\]])__proto__(?:[.[\]]|$)|(?:^|[.[\]])constructor(?:\]?\.|\]\[|\[)\s*['"]?prototype\b/;

function prototypeKey(target: Target): string | undefined {
  const key = target.value;
  if (!key.includes('proto')) return undefined;
  if (PROTO_FIELD.test(key)) return key;
  return target.isKey && /(?:^|\.)constructor\.prototype$/.test(target.field.toLowerCase())
    ? target.field
    : undefined;
}

/** NoSQL operator injection and prototype pollution in argument names, JSON keys and values. */
export const NOSQL_RULES: readonly FieldRule[] = [
  fieldRule({
    id: 'nosql.operator-key',
    family: 'nosql',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    kinds: ['query', 'form', 'json', 'multipart', 'cookie'],
    message: 'NoSQL injection: query operator in an argument name or JSON key',
    match: (target) => (target.isKey ? OPERATOR_KEY.exec(target.value)?.[0] : undefined),
  }),
  patternRule({
    id: 'nosql.where-code',
    family: 'nosql',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    keys: false,
    message: 'NoSQL injection: $where or $function JavaScript',
    pattern:
      /["']?\$(?:where|function|accumulator)["']?\s*:\s*["']?[^"']*(?:this\.|function|sleep\s*\(|return\b)/,
  }),
  fieldRule({
    id: 'prototype.pollution',
    family: 'prototype',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    plain: true,
    message: 'Prototype pollution: __proto__ or constructor.prototype',
    match: prototypeKey,
  }),
];
