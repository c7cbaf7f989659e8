import { patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

const EVALUATES = String.raw`\(|\[|\d\s*[*+/%-]\s*\d|\.\s*(?:class|constructor|__class__|getclass|forname|getruntime|__init__|__globals__|__builtins__|__subclasses__|__mro__|__import__)|__|\bself\b|\bconfig\b|\brequest\b|\blipsum\b|\bcycler\b|\bjoiner\b|\bnamespace\b|\bt\s*\(|\|\s*(?:attr|safe|join|map|format|e)\b|\bnew\b|@`;

/** Server-side template injection in `{{ }}`, `${ }`, `#{ }`, `*{ }`, `{% %}` and `<% %>` forms. */
export const TEMPLATE_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'template.expression',
    family: 'template',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Template injection: evaluated expression',
    pattern: new RegExp(
      String.raw`(?:\{\{|\$\{|#\{|\*\{|@\{|~\{)[^}]{0,200}?(?:${EVALUATES})[^}]{0,200}?\}|<%=?[^%]{0,200}?(?:${EVALUATES})[^%]{0,200}?%>`,
    ),
  }),
  patternRule({
    id: 'template.statement',
    family: 'template',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Template injection: template statement',
    pattern:
      /\{%-?\s*(?:import|include|extends|set|for|if|macro|call|filter|raw|debug|with|from|block|load)\b|\{\{-?\s*(?:range|define|template|printf|call)\b|#(?:set|foreach|evaluate|include|parse)\s*\(|\$\{\s*(?:product|class|request|session|application)\b/,
  }),
  patternRule({
    id: 'template.braces',
    family: 'template',
    severity: 'warning',
    paranoia: 2,
    message: 'Template injection: template delimiters',
    pattern: /\{\{[^}]*\}\}|\{%[^%]*%\}|\$\{[^}]+\}|#\{[^}]+\}/,
  }),
];
