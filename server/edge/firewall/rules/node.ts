import { patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

/** JavaScript / Node.js code injection and unsafe deserialisation. */
export const NODE_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'node.code',
    family: 'node',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Node.js injection: process, module or child_process access',
    pattern:
      /\brequire\s*\(\s*['"`](?:child_process|fs|net|vm|os|http|dgram|worker_threads)['"`]|\bchild_process\b|\bprocess\s*\.\s*(?:mainmodule|binding|dlopen|env|exit|kill)\b|\bglobal\s*\.\s*process\b|\bmodule\s*\.\s*(?:exports|constructor|require)\b|\bconstructor\s*\.\s*constructor\b|\bconstructor\s*\(\s*['"`]|_\$\$nd_func\$\$_|\bnew\s+function\s*\(|\bfunction\s*\(\s*\)\s*\{.*\}\s*\(\s*\)/,
  }),
  patternRule({
    id: 'node.serialized',
    family: 'node',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    on: 'raw',
    message: 'Node.js injection: node-serialize function payload',
    pattern: /XyQkTkRfRlVOQyQkX|F9JCROREZVTkMkJF|fJCROREZVTkMkJF/,
  }),
  patternRule({
    id: 'node.dos',
    family: 'node',
    severity: 'critical',
    paranoia: 1,
    message: 'Node.js injection: event-loop blocking loop',
    pattern: /\bwhile\s*\(\s*(?:true|1|!``|!\[\]|!0)\s*\)|\bfor\s*\(\s*;\s*;\s*\)/,
  }),
  patternRule({
    id: 'node.eval-like',
    family: 'node',
    severity: 'critical',
    paranoia: 2,
    message: 'JavaScript injection: eval-like construct',
    pattern:
      /\b(?:eval|function|settimeout|setinterval)\s*\(|\bimport\s*\(\s*['"`]|=>\s*\{|\bthis\s*\.\s*constructor\b/,
  }),
];
