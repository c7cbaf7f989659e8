import { describe, expect, it } from 'vitest';
import type { RuleExpr } from './ast.js';
import { parseRule } from './parse-rule.js';
import { formatRuleError } from './rule-error.js';

/** A compact S-expression of the tree, so precedence and shape are visible at a glance. */
function show(e: RuleExpr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'string':
      return JSON.stringify(e.value);
    case 'name':
      return e.name;
    case 'group':
      return show(e.inner);
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'binary':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'call':
      return `${e.callee}[${e.args.map(show).join(' ')}]`;
    case 'member':
      return `${show(e.object)}.${e.name}`;
  }
}

function tree(source: string): string {
  const r = parseRule(source);
  if (!r.ok) throw new Error(formatRuleError(r.errors[0]!));
  return show(r.ast);
}

function error(source: string): string {
  const r = parseRule(source);
  if (r.ok) throw new Error(`parsed: ${source}`);
  return formatRuleError(r.errors[0]!);
}

describe('parseRule', () => {
  it('parses numbers in integer, decimal, leading-dot and exponent forms', () => {
    expect(tree('1 + 2.5 + .5 + 1e3 + 2E-2')).toBe('(+ (+ (+ (+ 1 2.5) 0.5) 1000) 0.02)');
  });

  it('gives * / % precedence over + - and keeps them left-associative', () => {
    expect(tree('a + b * c - d / e % f')).toBe('(- (+ a (* b c)) (% (/ d e) f))');
    expect(tree('a - b - c')).toBe('(- (- a b) c)');
  });

  it('binds unary minus tighter than * and allows it after an operator', () => {
    expect(tree('-a * b')).toBe('(* (- a) b)');
    expect(tree('a < -3')).toBe('(< a (- 3))');
    expect(tree('- - a')).toBe('(- (- a))');
    expect(tree('+a')).toBe('(+ a)');
  });

  it('lets parentheses override precedence', () => {
    expect(tree('(a + b) * c')).toBe('(* (+ a b) c)');
  });

  it('orders comparison below arithmetic, not below comparison, and below not, or below and', () => {
    expect(tree('a + 1 > b * 2')).toBe('(> (+ a 1) (* b 2))');
    expect(tree('not a > b')).toBe('(not (> a b))');
    expect(tree('a > b or c < d and e == f')).toBe('(or (> a b) (and (< c d) (== e f)))');
    expect(tree('a != b and not c <= d')).toBe('(and (!= a b) (not (<= c d)))');
  });

  it('reads && || ! as and or not', () => {
    expect(tree('!(a > b) && c >= d || e < f')).toBe('(or (and (not (> a b)) (>= c d)) (< e f))');
  });

  it('parses crosses_above and crosses_below at comparison level', () => {
    expect(tree('macd(12, 26, 9).hist crosses_above 0 and a crosses_below b + 1')).toBe(
      '(and (crosses_above macd[12 26 9].hist 0) (crosses_below a (+ b 1)))',
    );
  });

  it('parses calls with no, one and several arguments and a trailing timeframe string', () => {
    expect(tree('vwap() < sma(close, 20, "1Day") and rsi(14) > 1')).toBe(
      '(and (< vwap[] sma[close 20 "1Day"]) (> rsi[14] 1))',
    );
    expect(tree("sma(close, 20, '1Hour') > 0")).toBe('(> sma[close 20 "1Hour"] 0)');
  });

  it('parses member access on calls, chained after the call', () => {
    expect(tree('close > bbands(20, 2).upper')).toBe('(> close bbands[20 2].upper)');
    expect(tree('stoch(14, 3, 3).k > stoch(14, 3, 3).d')).toBe('(> stoch[14 3 3].k stoch[14 3 3].d)');
  });

  it('parses nested calls as arguments, including conditions', () => {
    expect(tree('crossover(sma(close, 50), sma(close, 200)) and prev(a > b, 2)')).toBe(
      '(and crossover[sma[close 50] sma[close 200]] prev[(> a b) 2])',
    );
  });

  it('skips comments and treats newlines as whitespace', () => {
    expect(tree('# golden cross\ncrossover(sma(close, 50),  # fast\n  sma(close, 200)) # slow\n')).toBe(
      'crossover[sma[close 50] sma[close 200]]',
    );
  });

  it('records source spans of nodes and operators', () => {
    const r = parseRule('rsi(14) < 70');
    if (!r.ok) throw new Error('parse failed');
    expect(r.ast.span).toEqual({ start: 0, end: 12 });
    if (r.ast.kind !== 'binary') throw new Error('not binary');
    expect(r.ast.opSpan).toEqual({ start: 8, end: 9 });
    expect(r.ast.left.span).toEqual({ start: 0, end: 7 });
    if (r.ast.left.kind !== 'call') throw new Error('not a call');
    expect(r.ast.left.calleeSpan).toEqual({ start: 0, end: 3 });
  });
});

describe('parseRule errors', () => {
  it('points at the token where a call should have closed', () => {
    expect(error('crossover(sma(close, 50 and rsi(14) < 70')).toBe(
      "1:25: expected ')' after the arguments of sma, found 'and'",
    );
    expect(error('sma(close, 20')).toBe("1:14: expected ')' after the arguments of sma, found end of input");
    const r = parseRule('sma(close 20)');
    expect(r.ok ? null : r.errors[0]).toMatchObject({
      line: 1,
      column: 11,
      endColumn: 13,
      message: "expected ')' after the arguments of sma, found number 20",
      expected: ["')'", "','"],
      code: 'SIGNALS_RULE_INVALID',
    });
  });

  it('reports line and column on multi-line input', () => {
    const source = '# entry\nclose > open and\n  rsi(14) <\n  and volume > 0';
    expect(error(source)).toBe("4:3: expected an expression after '<', found 'and'");
    const r = parseRule('close > 1\n  and (rsi(14) > 2\n');
    expect(r.ok ? null : r.errors[0]).toMatchObject({ line: 3, column: 1 });
    expect(error('close > 1\n  and (rsi(14) > 2\n')).toBe(
      "3:1: expected ')' to close the '(' at 2:7, found end of input",
    );
  });

  it('refuses chained comparisons and names the fix', () => {
    expect(error('10 < close < 20')).toBe(
      "1:12: comparisons can't be chained: join them with 'and', e.g. a < b and b < c",
    );
  });

  it('explains lexical mistakes', () => {
    expect(error('close = 5')).toBe("1:7: use '==' to compare (a single '=' is not an operator)");
    expect(error('a & b')).toBe("1:3: use 'and' or '&&' to join conditions");
    expect(error('a | b')).toBe("1:3: use 'or' or '||' to join conditions");
    expect(error('close > 1Day')).toBe('1:9: a timeframe is written as a string: "1Day"');
    expect(error('close > 12abc')).toBe("1:9: invalid number '12abc'");
    expect(error('sma(close, 20, "1Day) > 0')).toBe('1:16: unterminated string: add the closing "');
    expect(error('close @ 3')).toBe("1:7: unexpected character '@'");
  });

  it('reports missing operands, stray tokens and empty input', () => {
    expect(error('')).toMatch(/^1:1: the rule is empty/);
    expect(error('   # only a comment')).toMatch(/^1:20: the rule is empty/);
    expect(error('close >')).toBe("1:8: expected an expression after '>', found end of input");
    expect(error('close > open open')).toBe(
      "1:14: unexpected 'open' after the end of the expression — missing 'and', 'or' or an operator before it?",
    );
    expect(error('close > ()')).toBe('1:10: empty parentheses: expected an expression');
    expect(error('sma(close,) > 1')).toBe("1:11: expected an argument of sma, found ')'");
    expect(error('a not b')).toBe("1:3: 'not' goes before a condition; to join two conditions use 'and not'");
    expect(error('bbands(20).')).toBe(
      "1:12: expected an output name after '.', e.g. .upper, found end of input",
    );
    expect(error('(a)(b)')).toBe('1:4: only a function name can be called, e.g. sma(close, 20)');
  });

  it('gives endColumn one past the offending token on its line', () => {
    const r = parseRule('close >\n  smaa(close, 20 or x');
    expect(r.ok ? null : r.errors[0]).toMatchObject({ line: 2, column: 18, endColumn: 20 });
  });
});
