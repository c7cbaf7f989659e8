import { formatTimeframe, parseTimeframe, type Timeframe } from '../../market-data/timeframe.js';
import { DomainError } from '../../kernel/index.js';
import type { RuleExpr } from './ast.js';
import { checkCall } from './check-call.js';
import { BAR_FIELDS, type BarField, FUNCTION_NAMES } from './functions.js';
import { parseRule } from './parse-rule.js';
import type { RuleProgram } from './program.js';
import { type Checked, ProgramBuilder } from './program-builder.js';
import type { RuleError } from './rule-error.js';
import { didYouMean } from './suggest.js';

/** Options of `checkRule` and `compileRule`: the timeframe of the bars the rule is evaluated on. */
export type RuleOptions = { readonly timeframe: Timeframe | string };

/** Result of checking: the resolved program, or every error found (sorted by position). */
export type CheckResult =
  { ok: true; ast: RuleExpr; program: RuleProgram } | { ok: false; errors: RuleError[] };

/** Resolves a timeframe option; throws SIGNALS_INVALID_PARAMETER when it is not one (a caller bug, not rule text). */
export function ruleTimeframe(timeframe: Timeframe | string): Timeframe {
  const tf =
    typeof timeframe === 'string' ? parseTimeframe(timeframe) : parseTimeframe(formatTimeframe(timeframe));
  if (!tf)
    throw new DomainError(
      'SIGNALS_INVALID_PARAMETER',
      `invalid rule timeframe ${JSON.stringify(timeframe)}`,
      {
        name: 'timeframe',
      },
    );
  return tf;
}

/** Parses and type-checks a rule for bars of `options.timeframe`: names, arity, parameter ranges, types and limits. */
export function checkRule(source: string, options: RuleOptions): CheckResult {
  const timeframe = ruleTimeframe(options.timeframe);
  const parsed = parseRule(source);
  if (!parsed.ok) return parsed;
  const b = new ProgramBuilder(source, timeframe);
  const root = checkExpr(b, parsed.ast);
  if (root && root.type !== 'boolean')
    b.fail(
      parsed.ast.span,
      'a rule must be a condition (true or false), but this is a number — compare it, e.g. close > sma(close, 20)',
    );
  if (!root || b.errors.length > 0)
    return {
      ok: false,
      errors: b.errors.sort((x, y) => x.line - y.line || x.column - y.column),
    };
  return { ok: true, ast: parsed.ast, program: b.build(root.slot) };
}

const FIELDS: ReadonlySet<string> = new Set(BAR_FIELDS);
const ARITH = {
  '+': (x: number, y: number) => x + y,
  '-': (x: number, y: number) => x - y,
  '*': (x: number, y: number) => x * y,
  '/': (x: number, y: number) => x / y,
  '%': (x: number, y: number) => x % y,
} as const;

const side = (c: Checked): string => (c.type === 'boolean' ? 'a condition' : 'a number');

/** Checks one expression, adding its steps; null (with errors recorded) when it is wrong. */
export function checkExpr(b: ProgramBuilder, e: RuleExpr): Checked | null {
  switch (e.kind) {
    case 'number':
      if (!Number.isFinite(e.value)) return b.fail(e.span, `the number ${b.text(e.span)} is too large`);
      return b.constant(e.value, e.span);
    case 'string':
      return b.fail(
        e.span,
        'a string is only allowed as the last argument of an indicator, naming its timeframe, e.g. sma(close, 20, "1Day")',
      );
    case 'name':
      if (FIELDS.has(e.name)) return b.add({ op: 'field', field: e.name as BarField }, 'number', 0, e.span);
      if (FUNCTION_NAMES.includes(e.name))
        return b.fail(e.span, `'${e.name}' is a function: call it, e.g. ${e.name}(…)`);
      return b.fail(
        e.span,
        `unknown name '${e.name}'${didYouMean(e.name, [...BAR_FIELDS, ...FUNCTION_NAMES])}`,
      );
    case 'group':
      return checkExpr(b, e.inner);
    case 'call':
      return checkCall(b, e, null, checkExpr);
    case 'member':
      if (e.object.kind !== 'call')
        return b.fail(
          e.nameSpan,
          `'.${e.name}' picks an output of an indicator call, e.g. bbands(20, 2).upper`,
        );
      return checkCall(b, e.object, e, checkExpr);
    case 'unary': {
      const a = checkExpr(b, e.operand);
      if (!a) return null;
      if (e.op === 'not') {
        if (a.type !== 'boolean')
          return b.fail(e.operand.span, "'not' needs a condition, but this is a number");
        return b.add({ op: 'not', a: a.slot }, 'boolean', b.lookback(a.slot), e.span);
      }
      if (a.type !== 'number')
        return b.fail(e.operand.span, `unary '${e.op}' needs a number, but this is a condition`);
      if (e.op === '+') return a;
      if (a.constant !== undefined) return b.constant(-a.constant, e.span);
      return b.add({ op: 'neg', a: a.slot }, 'number', b.lookback(a.slot), e.span);
    }
    case 'binary': {
      const l = checkExpr(b, e.left);
      const r = checkExpr(b, e.right);
      if (!l || !r) return null;
      const lb = Math.max(b.lookback(l.slot), b.lookback(r.slot));
      if (e.op === 'and' || e.op === 'or') {
        const wrong = l.type !== 'boolean' ? e.left : r.type !== 'boolean' ? e.right : null;
        if (wrong)
          return b.fail(
            wrong.span,
            `'${e.op}' joins conditions, but its ${wrong === e.left ? 'left' : 'right'} side is a number — compare it, e.g. rsi(14) > 70`,
          );
        // `or` can be true as soon as either side can; `and` needs both.
        const lookback = e.op === 'or' ? Math.min(b.lookback(l.slot), b.lookback(r.slot)) : lb;
        return b.add({ op: e.op, a: l.slot, b: r.slot }, 'boolean', lookback, e.span);
      }
      const wrong = l.type !== 'number' ? l : r.type !== 'number' ? r : null;
      if (wrong) {
        const where = wrong === l ? 'left' : 'right';
        const verb = e.op in ARITH ? 'needs numbers' : 'compares numbers';
        return b.fail(
          (wrong === l ? e.left : e.right).span,
          `'${e.op}' ${verb}, but its ${where} side is ${side(wrong)}`,
        );
      }
      if (e.op === 'crosses_above' || e.op === 'crosses_below') {
        b.needHistory(l.slot, 1);
        b.needHistory(r.slot, 1);
        b.report(l, r);
        const dir = e.op === 'crosses_above' ? 'above' : 'below';
        return b.add({ op: 'cross', dir, a: l.slot, b: r.slot }, 'boolean', lb + 1, e.span);
      }
      if (e.op in ARITH) {
        const fn = e.op as keyof typeof ARITH;
        if (l.constant !== undefined && r.constant !== undefined) {
          const v = ARITH[fn](l.constant, r.constant);
          if (!Number.isFinite(v)) return b.fail(e.span, `${b.text(e.span)} is not a finite number`);
          return b.constant(v, e.span);
        }
        return b.add({ op: 'arith', fn, a: l.slot, b: r.slot }, 'number', lb, e.span);
      }
      b.report(l, r);
      const fn = e.op as '<' | '<=' | '>' | '>=' | '==' | '!=';
      return b.add({ op: 'compare', fn, a: l.slot, b: r.slot }, 'boolean', lb, e.span);
    }
  }
}
