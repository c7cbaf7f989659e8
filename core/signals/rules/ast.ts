/** Offsets into the rule text: `start` inclusive, `end` exclusive (UTF-16 code units). */
export type Span = { readonly start: number; readonly end: number };

/** Binary operators after normalisation (`&&` → `and`, `||` → `or`). */
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | 'and'
  | 'or'
  | 'crosses_above'
  | 'crosses_below';

/** Comparison operators, including the infix crossing ones. */
export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | 'crosses_above' | 'crosses_below';

/** A node of the rule's syntax tree; every node carries its source span. */
export type RuleExpr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | {
      readonly kind: 'unary';
      readonly op: '-' | '+' | 'not';
      readonly operand: RuleExpr;
      readonly span: Span;
    }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly left: RuleExpr;
      readonly right: RuleExpr;
      readonly opSpan: Span;
      readonly span: Span;
    }
  | {
      readonly kind: 'call';
      readonly callee: string;
      readonly calleeSpan: Span;
      readonly args: readonly RuleExpr[];
      readonly span: Span;
    }
  | {
      readonly kind: 'member';
      readonly object: RuleExpr;
      readonly name: string;
      readonly nameSpan: Span;
      readonly span: Span;
    }
  | { readonly kind: 'group'; readonly inner: RuleExpr; readonly span: Span };

/** Comparison operators (non-associative: `a < b < c` is refused). */
export const COMPARISON_OPS: ReadonlySet<string> = new Set<ComparisonOp>([
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  'crosses_above',
  'crosses_below',
]);
