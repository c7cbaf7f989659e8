import { type BinaryOp, COMPARISON_OPS, type RuleExpr, type Span } from './ast.js';
import { describeToken, type Token, tokenize } from './lexer.js';
import { RULE_LIMITS } from './limits.js';
import { type RuleError, ruleError } from './rule-error.js';

/** Result of parsing: the syntax tree, or the first syntax error. */
export type ParseResult = { ok: true; ast: RuleExpr } | { ok: false; errors: RuleError[] };

// Binding powers, loosest first; `not` binds looser than comparisons (`not a > b` is `not (a > b)`).
const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARE = 4;
const SUM = 5;
const PRODUCT = 6;
const UNARY = 7;

const INFIX: Readonly<Record<string, { op: BinaryOp; power: number }>> = {
  or: { op: 'or', power: OR },
  '||': { op: 'or', power: OR },
  and: { op: 'and', power: AND },
  '&&': { op: 'and', power: AND },
  '<': { op: '<', power: COMPARE },
  '<=': { op: '<=', power: COMPARE },
  '>': { op: '>', power: COMPARE },
  '>=': { op: '>=', power: COMPARE },
  '==': { op: '==', power: COMPARE },
  '!=': { op: '!=', power: COMPARE },
  crosses_above: { op: 'crosses_above', power: COMPARE },
  crosses_below: { op: 'crosses_below', power: COMPARE },
  '+': { op: '+', power: SUM },
  '-': { op: '-', power: SUM },
  '*': { op: '*', power: PRODUCT },
  '/': { op: '/', power: PRODUCT },
  '%': { op: '%', power: PRODUCT },
};

class SyntaxFailure {
  constructor(readonly error: RuleError) {}
}

/** Parses rule text into a syntax tree (Pratt parser); refuses text over the length limit and nesting over the depth limit. */
export function parseRule(source: string): ParseResult {
  if (source.length > RULE_LIMITS.maxLength)
    return {
      ok: false,
      errors: [
        ruleError(
          source,
          { start: RULE_LIMITS.maxLength, end: source.length },
          `the rule is ${source.length} characters long; the limit is ${RULE_LIMITS.maxLength}`,
          { code: 'SIGNALS_RULE_TOO_COMPLEX' },
        ),
      ],
    };
  const lexed = tokenize(source);
  if (!lexed.ok) return { ok: false, errors: [ruleError(source, lexed.error.span, lexed.error.message)] };
  try {
    return { ok: true, ast: new Parser(source, lexed.tokens).parseRule() };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, errors: [e.error] };
    throw e;
  }
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseRule(): RuleExpr {
    if (this.peek().kind === 'end')
      this.fail(this.peek().span, 'the rule is empty: write a condition such as close > sma(close, 20)');
    const expr = this.expression(0);
    const next = this.peek();
    if (next.kind !== 'end') {
      const hint =
        next.kind === 'name' || next.kind === 'number' || next.text === '('
          ? " — missing 'and', 'or' or an operator before it?"
          : '';
      this.fail(next.span, `unexpected ${describeToken(next)} after the end of the expression${hint}`);
    }
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private advance(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private fail(span: Span, message: string, expected?: readonly string[], tooComplex = false): never {
    throw new SyntaxFailure(
      ruleError(this.source, span, message, {
        ...(expected ? { expected } : {}),
        ...(tooComplex ? { code: 'SIGNALS_RULE_TOO_COMPLEX' as const } : {}),
      }),
    );
  }

  private enter(span: Span): void {
    if (++this.depth > RULE_LIMITS.maxDepth)
      this.fail(span, `the rule nests deeper than ${RULE_LIMITS.maxDepth} levels`, undefined, true);
  }

  private expression(minPower: number): RuleExpr {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      const infix = t.kind === 'op' || t.kind === 'keyword' ? INFIX[t.text] : undefined;
      if (!infix || infix.power <= minPower) {
        if (t.kind === 'keyword' && t.text === 'not')
          this.fail(t.span, "'not' goes before a condition; to join two conditions use 'and not'");
        return left;
      }
      this.advance();
      if (infix.power === COMPARE && left.kind === 'binary' && COMPARISON_OPS.has(left.op))
        this.fail(t.span, `comparisons can't be chained: join them with 'and', e.g. a < b and b < c`);
      const right = this.operand(infix.power, t);
      left = {
        kind: 'binary',
        op: infix.op,
        left,
        right,
        opSpan: t.span,
        span: { start: left.span.start, end: right.span.end },
      };
    }
  }

  /** The right operand of `op`; a missing one gets an error naming the operator. */
  private operand(power: number, op: Token): RuleExpr {
    const next = this.peek();
    if (
      next.kind === 'end' ||
      next.text === ')' ||
      next.text === ',' ||
      (INFIX[next.text] && next.text !== '-' && next.text !== '+')
    )
      this.fail(next.span, `expected an expression after '${op.text}', found ${describeToken(next)}`, [
        'an expression',
      ]);
    return this.expression(power);
  }

  private prefix(): RuleExpr {
    const t = this.advance();
    if (t.kind === 'number') return this.postfix({ kind: 'number', value: t.value as number, span: t.span });
    if (t.kind === 'string') return this.postfix({ kind: 'string', value: t.value as string, span: t.span });
    if (t.kind === 'name') {
      if (this.peek().text === '(') return this.postfix(this.call(t));
      return this.postfix({ kind: 'name', name: t.text, span: t.span });
    }
    if ((t.kind === 'keyword' && t.text === 'not') || t.text === '!') return this.unary(t, 'not', NOT);
    if (t.text === '-' || t.text === '+') return this.unary(t, t.text, UNARY);
    if (t.text === '(') {
      this.enter(t.span);
      if (this.peek().text === ')')
        this.fail(this.peek().span, 'empty parentheses: expected an expression', ['an expression']);
      const inner = this.expression(0);
      const close = this.peek();
      if (close.text !== ')')
        this.fail(
          close.span,
          `expected ')' to close the '(' at ${this.where(t.span)}, found ${describeToken(close)}`,
          ["')'"],
        );
      this.advance();
      this.depth--;
      return this.postfix({ kind: 'group', inner, span: { start: t.span.start, end: close.span.end } });
    }
    this.fail(t.span, `expected an expression, found ${describeToken(t)}`, ['an expression']);
  }

  private unary(t: Token, op: '-' | '+' | 'not', power: number): RuleExpr {
    this.enter(t.span);
    const operand = this.operand(power, t);
    this.depth--;
    return { kind: 'unary', op, operand, span: { start: t.span.start, end: operand.span.end } };
  }

  private call(name: Token): RuleExpr {
    const open = this.advance();
    this.enter(open.span);
    const args: RuleExpr[] = [];
    if (this.peek().text !== ')')
      for (;;) {
        const next = this.peek();
        if (next.text === ',' || next.text === ')' || next.kind === 'end')
          this.fail(next.span, `expected an argument of ${name.text}, found ${describeToken(next)}`, [
            'an expression',
          ]);
        args.push(this.expression(0));
        if (this.peek().text !== ',') break;
        this.advance();
      }
    const close = this.peek();
    if (close.text !== ')') {
      // `sma(close, 50 and rsi(14) < 70`: the ')' most likely belongs before the first 'and'/'or' of the last argument.
      const joined = leftmostJoin(args[args.length - 1]);
      const at = joined
        ? { span: joined.opSpan, text: `'${this.source.slice(joined.opSpan.start, joined.opSpan.end)}'` }
        : { span: close.span, text: describeToken(close) };
      this.fail(at.span, `expected ')' after the arguments of ${name.text}, found ${at.text}`, [
        "')'",
        "','",
      ]);
    }
    this.advance();
    this.depth--;
    return {
      kind: 'call',
      callee: name.text,
      calleeSpan: name.span,
      args,
      span: { start: name.span.start, end: close.span.end },
    };
  }

  private postfix(expr: RuleExpr): RuleExpr {
    let out = expr;
    for (;;) {
      const t = this.peek();
      if (t.text === '.') {
        this.advance();
        const name = this.peek();
        if (name.kind !== 'name')
          this.fail(
            name.span,
            `expected an output name after '.', e.g. .upper, found ${describeToken(name)}`,
            ['a name'],
          );
        this.advance();
        out = {
          kind: 'member',
          object: out,
          name: name.text,
          nameSpan: name.span,
          span: { start: out.span.start, end: name.span.end },
        };
      } else if (t.text === '(') {
        this.fail(t.span, 'only a function name can be called, e.g. sma(close, 20)');
      } else return out;
    }
  }

  private where(span: Span): string {
    const e = ruleError(this.source, span, '');
    return `${e.line}:${e.column}`;
  }
}

/** The first `and`/`or` down the left spine of `e`, if its top is one. */
function leftmostJoin(e: RuleExpr | undefined): Extract<RuleExpr, { kind: 'binary' }> | undefined {
  let found: Extract<RuleExpr, { kind: 'binary' }> | undefined;
  for (let n = e; n && n.kind === 'binary' && (n.op === 'and' || n.op === 'or'); n = n.left) found = n;
  return found;
}
