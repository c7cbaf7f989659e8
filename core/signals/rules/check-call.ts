import { formatTimeframe, parseTimeframe, type Timeframe } from '../../market-data/timeframe.js';
import type { IndicatorSpec } from '../indicators/registry.js';
import type { RuleExpr } from './ast.js';
import {
  BAR_FIELDS,
  type BarField,
  defaultOutput,
  FUNCTION_NAMES,
  outputAliases,
  readsSource,
  RULE_FUNCTIONS,
  ruleIndicator,
} from './functions.js';
import { barsPerBucket, higherTimeframeProblem } from './higher-timeframe.js';
import { RULE_LIMITS } from './limits.js';
import type { IndicatorInputOf } from './program.js';
import type { Checked, ProgramBuilder } from './program-builder.js';
import { closest, didYouMean } from './suggest.js';

type CallExpr = Extract<RuleExpr, { kind: 'call' }>;
type MemberExpr = Extract<RuleExpr, { kind: 'member' }>;
type Check = (b: ProgramBuilder, e: RuleExpr) => Checked | null;

const FIELDS: ReadonlySet<string> = new Set(BAR_FIELDS);
const TIMEFRAME_EXAMPLES = ['1Min', '5Min', '15Min', '30Min', '1Hour', '4Hour', '1Day', '1Week', '1Month'];
const CHANNELS = {
  entering_channel: 'entering',
  exiting_channel: 'exiting',
  inside_channel: 'inside',
  outside_channel: 'outside',
} as const;

const signature = (name: string): string =>
  RULE_FUNCTIONS.find((f) => f.name === name)?.signature ?? `${name}(…)`;

/** True when `e` folds to a number without reading any bar (a parameter, not a series). */
function isConstant(e: RuleExpr): boolean {
  if (e.kind === 'number') return true;
  if (e.kind === 'group') return isConstant(e.inner);
  if (e.kind === 'unary') return e.op !== 'not' && isConstant(e.operand);
  if (e.kind === 'binary')
    return ['+', '-', '*', '/', '%'].includes(e.op) && isConstant(e.left) && isConstant(e.right);
  return false;
}

/** Checks a call (or `call.member`): a built-in function or a registry indicator. */
export function checkCall(
  b: ProgramBuilder,
  call: CallExpr,
  member: MemberExpr | null,
  check: Check,
): Checked | null {
  const name = call.callee;
  const spec = ruleIndicator(name);
  if (spec) return checkIndicator(b, call, member, spec, check);
  if (!FUNCTION_NAMES.includes(name))
    return b.fail(call.calleeSpan, `unknown function '${name}'${didYouMean(name, FUNCTION_NAMES)}`);
  if (member)
    return b.fail(
      member.nameSpan,
      `${name}() has no outputs: '.${member.name}' applies to indicators such as bbands`,
    );
  const text = call.args.find((a) => a.kind === 'string');
  if (text)
    return b.fail(
      text.span,
      `${name} takes no timeframe; put it on the indicator, e.g. sma(close, 20, "1Day")`,
    );
  const count = (min: number, max: number): boolean => {
    if (call.args.length >= min && call.args.length <= max) return true;
    const range = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    b.fail(
      call.span,
      `${name} takes ${range} argument${max === 1 ? '' : 's'}: ${signature(name)}; got ${call.args.length}`,
    );
    return false;
  };
  const args = (): (Checked | null)[] => call.args.map((a) => check(b, a));
  const numbers = (checked: (Checked | null)[]): Checked[] | null => {
    let ok = true;
    checked.forEach((c, i) => {
      if (c && c.type !== 'number')
        ok = !!b.fail(call.args[i]!.span, `${name} needs a number here, but this is a condition`);
      if (!c) ok = false;
    });
    return ok ? (checked as Checked[]) : null;
  };
  const bars = (i: number, fallback: number): number | null =>
    call.args[i]
      ? constant(b, call.args[i], `n of ${name}`, check, { min: 1, max: RULE_LIMITS.maxBars, integer: true })
      : fallback;

  switch (name) {
    case 'prev':
    case 'change':
    case 'pct_change': {
      if (!count(1, 2)) return null;
      const x = check(b, call.args[0]!);
      const n = bars(1, 1);
      if (!x || n === null) return null;
      if (name !== 'prev' && x.type !== 'number')
        return b.fail(call.args[0]!.span, `${name} needs a number, but this is a condition`);
      b.needHistory(x.slot, n);
      return b.add({ op: name, a: x.slot, n }, x.type, b.lookback(x.slot) + n, call.span);
    }
    case 'moving_up_pct':
    case 'moving_down_pct': {
      if (!count(2, 3)) return null;
      const x = numbers([check(b, call.args[0]!)]);
      const pct = constant(b, call.args[1]!, `pct of ${name}`, check, { min: 0, max: 1e9, integer: false });
      const n = bars(2, 1);
      if (!x || pct === null || n === null) return null;
      const a = x[0]!;
      b.needHistory(a.slot, n);
      b.report(a);
      const dir = name === 'moving_up_pct' ? 'up' : 'down';
      return b.add({ op: 'moving', dir, a: a.slot, pct, n }, 'boolean', b.lookback(a.slot) + n, call.span);
    }
    case 'crossover':
    case 'crossunder': {
      if (!count(2, 2)) return null;
      const xs = numbers(args());
      if (!xs) return null;
      const [a, c] = xs as [Checked, Checked];
      b.needHistory(a.slot, 1);
      b.needHistory(c.slot, 1);
      b.report(a, c);
      const lb = Math.max(b.lookback(a.slot), b.lookback(c.slot)) + 1;
      return b.add(
        { op: 'cross', dir: name === 'crossover' ? 'above' : 'below', a: a.slot, b: c.slot },
        'boolean',
        lb,
        call.span,
      );
    }
    case 'entering_channel':
    case 'exiting_channel':
    case 'inside_channel':
    case 'outside_channel': {
      if (!count(3, 3)) return null;
      const xs = numbers(args());
      if (!xs) return null;
      const [x, lo, hi] = xs as [Checked, Checked, Checked];
      const kind = CHANNELS[name];
      const edge = kind === 'entering' || kind === 'exiting';
      if (edge) for (const c of xs) b.needHistory(c.slot, 1);
      b.report(x, lo, hi);
      const lb = Math.max(b.lookback(x.slot), b.lookback(lo.slot), b.lookback(hi.slot)) + (edge ? 1 : 0);
      return b.add({ op: 'channel', kind, x: x.slot, lo: lo.slot, hi: hi.slot }, 'boolean', lb, call.span);
    }
    case 'abs': {
      if (!count(1, 1)) return null;
      const xs = numbers(args());
      if (!xs) return null;
      const x = xs[0]!;
      if (x.constant !== undefined) return b.constant(Math.abs(x.constant), call.span);
      return b.add({ op: 'abs', a: x.slot }, 'number', b.lookback(x.slot), call.span);
    }
    default: {
      // min / max
      if (!count(2, Infinity)) return null;
      const xs = numbers(args());
      if (!xs) return null;
      const lb = Math.max(...xs.map((x) => b.lookback(x.slot)));
      return b.add({ op: name as 'min' | 'max', args: xs.map((x) => x.slot) }, 'number', lb, call.span);
    }
  }
}

/** A constant argument within [min, max] (and integer when asked); null with an error otherwise. */
function constant(
  b: ProgramBuilder,
  e: RuleExpr,
  what: string,
  check: Check,
  range: { min: number; max: number; integer: boolean },
): number | null {
  if (!isConstant(e)) {
    if (e.kind === 'string') return b.fail(e.span, `${what} must be a number, not a string`);
    return b.fail(e.span, `${what} must be a constant number, not a series`);
  }
  const c = check(b, e);
  if (!c || c.constant === undefined) return null;
  const v = c.constant;
  const kind = range.integer ? 'an integer' : 'a number';
  if (v > range.max && range.integer && range.max === RULE_LIMITS.maxBars)
    return b.fail(
      e.span,
      `${what} is ${v} bars, over the limit of ${RULE_LIMITS.maxBars}`,
      'SIGNALS_RULE_TOO_COMPLEX',
    );
  if (v < range.min || v > range.max || (range.integer && !Number.isInteger(v)))
    return b.fail(e.span, `${what} must be ${kind} from ${range.min} to ${range.max}, got ${v}`);
  return v;
}

/** A trailing timeframe string, resolved and checked against the rule's timeframe; undefined when absent. */
function timeframeArg(b: ProgramBuilder, e: RuleExpr): Timeframe | null | undefined {
  if (e.kind !== 'string') return undefined;
  const tf = parseTimeframe(e.value);
  if (!tf) {
    const hit = closest(e.value, TIMEFRAME_EXAMPLES);
    return b.fail(
      e.span,
      `invalid timeframe "${e.value}"${hit ? ` — did you mean "${hit}"?` : ''}; use e.g. "5Min", "1Hour", "1Day"`,
    );
  }
  const problem = higherTimeframeProblem(b.timeframe, tf);
  return problem ? b.fail(e.span, problem) : tf;
}

/** Checks an indicator call: optional source, TA-Lib-ordered parameters, optional timeframe and output member. */
function checkIndicator(
  b: ProgramBuilder,
  call: CallExpr,
  member: MemberExpr | null,
  spec: IndicatorSpec,
  check: Check,
): Checked | null {
  const name = call.callee;
  let args = call.args;
  const last = args[args.length - 1];
  const tf = last ? timeframeArg(b, last) : undefined;
  if (tf === null) return null;
  if (tf) args = args.slice(0, -1);
  const stray = args.find((a) => a.kind === 'string');
  if (stray)
    return b.fail(
      stray.span,
      `only the last argument of ${name} may be a string: its timeframe, e.g. "1Day"`,
    );

  let input: IndicatorInputOf = { kind: 'bar' };
  let sourceLookback = 0;
  const first = args[0];
  if (readsSource(spec)) {
    input = { kind: 'field', field: 'close' };
    if (first && !isConstant(first)) {
      args = args.slice(1);
      if (first.kind === 'name' && FIELDS.has(first.name))
        input = { kind: 'field', field: first.name as BarField };
      else {
        const src = check(b, first);
        if (!src) return null;
        if (src.type !== 'number')
          return b.fail(first.span, `the source of ${name} must be a number, but this is a condition`);
        if (tf)
          return b.fail(
            first.span,
            `on a higher timeframe ${name} reads a bar field (${BAR_FIELDS.join(', ')}), not an expression`,
          );
        input = { kind: 'slot', slot: src.slot };
        sourceLookback = b.lookback(src.slot);
      }
    }
  } else if (first && !isConstant(first)) {
    return b.fail(
      first.span,
      `${name} reads ${spec.inputs.join(', ')} itself and takes no source: ${signature(name)}`,
    );
  }

  if (args.length > spec.params.length)
    return b.fail(
      args[spec.params.length]!.span,
      `${name} takes at most ${spec.params.length} parameter${spec.params.length === 1 ? '' : 's'}: ${signature(name)}`,
    );
  const params: Record<string, number> = {};
  let ok = true;
  spec.params.forEach((p, i) => {
    const arg = args[i];
    if (!arg) return;
    const max = p.integer ? Math.min(p.max, RULE_LIMITS.maxBars) : p.max;
    const v = constant(b, arg, `${name} ${p.name}`, check, { min: p.min, max, integer: p.integer });
    if (v === null) ok = false;
    else params[p.name] = v;
  });
  if (!ok) return null;
  // bbands(20, 2.5): one deviation given means both bands, as charting tools read it.
  if (spec.name === 'BBANDS' && params.nbDevUp !== undefined && params.nbDevDn === undefined)
    params.nbDevDn = params.nbDevUp;
  const resolved = Object.fromEntries(spec.params.map((p) => [p.name, params[p.name] ?? p.default]));
  const lookback = spec.lookback(resolved);
  if (lookback > RULE_LIMITS.maxBars)
    return b.fail(
      call.span,
      `${name} needs ${lookback} bars of history, over the limit of ${RULE_LIMITS.maxBars}`,
      'SIGNALS_RULE_TOO_COMPLEX',
    );

  let output: string | undefined;
  if (member) {
    output = outputAliases(spec).get(member.name);
    if (!output)
      return b.fail(
        member.nameSpan,
        `${name} has no output '${member.name}'${didYouMean(member.name, outputAliases(spec).keys())} (outputs: ${spec.outputs.join(', ')})`,
      );
  } else {
    output = defaultOutput(spec);
    if (!output)
      return b.fail(
        call.span,
        `${name} has several outputs — pick one: ${spec.outputs.map((o) => `.${o}`).join(', ')}`,
      );
  }

  const timeframe = tf ? formatTimeframe(tf) : null;
  const index = b.indicator({ name: spec.name, params: resolved, input, timeframe, lookback }, call.span);
  if (index === null) return null;
  const bars = tf ? (lookback + 1) * barsPerBucket(b.timeframe, tf) - 1 : sourceLookback + lookback;
  return b.add({ op: 'output', indicator: index, output }, 'number', bars, member ? member.span : call.span);
}
