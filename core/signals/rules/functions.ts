import { indicatorSpecs, type IndicatorSpec } from '../indicators/registry.js';

/** Bar fields a rule reads; hl2, hlc3 and ohlc4 are derived from the bar. */
export const BAR_FIELDS = ['open', 'high', 'low', 'close', 'volume', 'hl2', 'hlc3', 'ohlc4'] as const;

/** A bar field name. */
export type BarField = (typeof BAR_FIELDS)[number];

/** One function the rule language knows, as the editor lists it. */
export type RuleFunction = {
  readonly name: string;
  readonly signature: string;
  readonly summary: string;
  /** The registry indicator behind it, when it is one. */
  readonly indicator?: string;
};

const BUILTINS: readonly RuleFunction[] = [
  { name: 'prev', signature: 'prev(x, n = 1)', summary: 'Value of x n bars ago' },
  { name: 'change', signature: 'change(x, n = 1)', summary: 'x minus its value n bars ago' },
  { name: 'pct_change', signature: 'pct_change(x, n = 1)', summary: 'Percent change of x over n bars' },
  {
    name: 'highest',
    signature: 'highest(x, n, "tf"?)',
    summary: 'Highest x over the last n bars',
    indicator: 'MAX',
  },
  {
    name: 'lowest',
    signature: 'lowest(x, n, "tf"?)',
    summary: 'Lowest x over the last n bars',
    indicator: 'MIN',
  },
  {
    name: 'crossover',
    signature: 'crossover(a, b)',
    summary: 'a rose above b on this bar (a > b, before a <= b)',
  },
  {
    name: 'crossunder',
    signature: 'crossunder(a, b)',
    summary: 'a fell below b on this bar (a < b, before a >= b)',
  },
  {
    name: 'entering_channel',
    signature: 'entering_channel(x, lower, upper)',
    summary: 'x moved inside [lower, upper] on this bar',
  },
  {
    name: 'exiting_channel',
    signature: 'exiting_channel(x, lower, upper)',
    summary: 'x moved outside [lower, upper] on this bar',
  },
  { name: 'inside_channel', signature: 'inside_channel(x, lower, upper)', summary: 'lower <= x <= upper' },
  {
    name: 'outside_channel',
    signature: 'outside_channel(x, lower, upper)',
    summary: 'x < lower or x > upper',
  },
  {
    name: 'moving_up_pct',
    signature: 'moving_up_pct(x, pct, n = 1)',
    summary: 'x rose by at least pct % over the last n bars',
  },
  {
    name: 'moving_down_pct',
    signature: 'moving_down_pct(x, pct, n = 1)',
    summary: 'x fell by at least pct % over the last n bars',
  },
  { name: 'abs', signature: 'abs(x)', summary: 'Absolute value' },
  { name: 'min', signature: 'min(a, b, …)', summary: 'Smallest of the arguments' },
  { name: 'max', signature: 'max(a, b, …)', summary: 'Largest of the arguments' },
];

/** True when the indicator reads one value per bar (its source), false when it reads whole bars. */
export function readsSource(spec: IndicatorSpec): boolean {
  return spec.inputs.length === 1 && spec.inputs[0] === 'close';
}

// MAX and MIN are reached as highest/lowest: min and max are the arithmetic functions.
const INDICATORS: ReadonlyMap<string, IndicatorSpec> = new Map(
  indicatorSpecs.filter((s) => s.name !== 'MAX' && s.name !== 'MIN').map((s) => [s.name.toLowerCase(), s]),
);

/** The registry indicator a rule calls by `name` (lower-case), if any; highest/lowest resolve to MAX/MIN. */
export function ruleIndicator(name: string): IndicatorSpec | undefined {
  if (name === 'highest') return indicatorSpecs.find((s) => s.name === 'MAX');
  if (name === 'lowest') return indicatorSpecs.find((s) => s.name === 'MIN');
  return INDICATORS.get(name);
}

/** Every function a rule may call: the built-ins and each registry indicator (lower-case, TA-Lib parameter order). */
export const RULE_FUNCTIONS: readonly RuleFunction[] = [
  ...BUILTINS,
  ...[...INDICATORS.values()].map((s) => ({
    name: s.name.toLowerCase(),
    signature: `${s.name.toLowerCase()}(${[...(readsSource(s) ? ['source = close'] : []), ...s.params.map((p) => `${p.name} = ${p.default}`), '"tf"?'].join(', ')})`,
    summary: s.summary,
    indicator: s.name,
  })),
];

/** Every callable name, for suggestions. */
export const FUNCTION_NAMES: readonly string[] = RULE_FUNCTIONS.map((f) => f.name);

const snake = (s: string): string => s.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** Member names accepted for each output: the registry name, its lower and snake case, and .k/.d for stochastics. */
export function outputAliases(spec: IndicatorSpec): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const o of spec.outputs) {
    out.set(o, o);
    out.set(o.toLowerCase(), o);
    out.set(snake(o), o);
    if (/^(slow|fast)K$/.test(o)) out.set('k', o);
    if (/^(slow|fast)D$/.test(o)) out.set('d', o);
  }
  return out;
}

/** The output a bare call reads: the only one, or the one named like the indicator (macd, adx); undefined when ambiguous. */
export function defaultOutput(spec: IndicatorSpec): string | undefined {
  if (spec.outputs.length === 1) return spec.outputs[0];
  return spec.outputs.find((o) => o === spec.name.toLowerCase());
}
