import { DomainError } from '../../kernel/index.js';
import type { Span } from './ast.js';

/** Catalog codes a rule error carries: a rule that does not parse or check, or one past a limit. */
export type RuleErrorCode = 'SIGNALS_RULE_INVALID' | 'SIGNALS_RULE_TOO_COMPLEX';

/** A problem in a rule's text: 1-based line and column, `endColumn` exclusive on the same line. */
export type RuleError = {
  readonly code: RuleErrorCode;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly message: string;
  /** What the parser would have accepted here, e.g. `["')'", "','"]`. */
  readonly expected?: readonly string[];
};

/** Builds a RuleError for `span` of `source`; a span crossing lines ends at the end of its first line. */
export function ruleError(
  source: string,
  span: Span,
  message: string,
  options: { code?: RuleErrorCode; expected?: readonly string[] } = {},
): RuleError {
  const start = Math.max(0, Math.min(span.start, source.length));
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < start; i = source.indexOf('\n', i + 1)) line++;
  const lineEnd = source.indexOf('\n', start);
  const end = Math.min(Math.max(span.end, start + 1), lineEnd < 0 ? source.length + 1 : lineEnd + 1);
  return {
    code: options.code ?? 'SIGNALS_RULE_INVALID',
    line,
    column: start - lineStart + 1,
    endColumn: end - lineStart + 1,
    message,
    ...(options.expected ? { expected: options.expected } : {}),
  };
}

/** `line:column: message`, the form editors and logs show. */
export function formatRuleError(error: RuleError): string {
  return `${error.line}:${error.column}: ${error.message}`;
}

/** The DomainError a caller throws for a rule that did not compile: the first error's code, all errors in details. */
export function ruleDomainError(errors: readonly RuleError[]): DomainError {
  const first = errors[0];
  return new DomainError(
    first?.code ?? 'SIGNALS_RULE_INVALID',
    first ? formatRuleError(first) : 'invalid rule',
    { errors },
  );
}
