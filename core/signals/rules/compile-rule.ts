import { DomainError } from '../../kernel/index.js';
import { isExtendedBucket } from '../../market-data/bar.js';
import { exchangeDay } from '../../market-data/ny-time.js';
import { formatTimeframe, isIntraday, parseTimeframe } from '../../market-data/timeframe.js';
import { definitions, type Stream } from '../indicators/definitions.js';
import type { IndicatorInput, IndicatorParams } from '../indicators/registry.js';
import { checkRule, type RuleOptions } from './check-rule.js';
import { type BarView, barView, HigherBars } from './higher-timeframe.js';
import type { IndicatorUse, RuleProgram } from './program.js';
import type { RuleError } from './rule-error.js';
import { fieldOf, History, type StepContext, type StepFn, stepFn } from './rule-steps.js';

/** A bar as the evaluator reads it: market-data `Bar` fields (`t` = bucket start, epoch ms). */
export type RuleBar = {
  readonly t: number;
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  readonly v: number;
  /** Not wholly inside regular hours; computed from the calendar when absent. Day and longer buckets skip such bars. */
  readonly extended?: boolean;
};

/** One bar-close evaluation: the condition, whether it just became true, and the operand values when it is true. */
export type RuleEvaluation = {
  readonly value: boolean;
  /** True on a rising edge: the condition is true now and was not on the previous bar. */
  readonly fired: boolean;
  /** The compared values keyed by their source text (e.g. `"sma(close, 50)"`); empty when `value` is false. */
  readonly values: Readonly<Record<string, number | null>>;
};

/** Per-symbol streaming state of one rule; create with `rule.createState()`, never share between symbols. */
export type RuleState = {
  /** Bars evaluated so far. */
  readonly bars: number;
};

/** A compiled rule: evaluate it bar by bar with `onBar`; `evaluateSeries` gives the same booleans in batch. */
export interface CompiledRule {
  readonly source: string;
  /** The timeframe of the bars it expects, e.g. `1Min`. */
  readonly timeframe: string;
  /** Bars before the result can be true (higher-timeframe references estimated from regular sessions). */
  readonly warmup: number;
  /** The deduplicated indicator instances each state holds. */
  readonly indicators: readonly {
    key: string;
    name: string;
    params: IndicatorParams;
    timeframe: string | null;
  }[];
  readonly program: RuleProgram;
  createState(): RuleState;
  /** Evaluates the closed `bar` (strictly later than the previous one; else SIGNALS_BARS_OUT_OF_ORDER). */
  onBar(state: RuleState, bar: RuleBar): RuleEvaluation;
  /** The reported operand values as of the last bar, whatever the condition. */
  values(state: RuleState): Record<string, number | null>;
}

/** Result of `compileRule`. */
export type CompileResult = { ok: true; rule: CompiledRule } | { ok: false; errors: RuleError[] };

const NO_VALUES: Readonly<Record<string, number | null>> = Object.freeze({});
const PRICE_FIELDS = new Set(['open', 'high', 'low', 'close', 'volume']);

const DEFINITIONS = new Map(definitions.map((d) => [d.name, d]));

class State implements RuleState {
  bars = 0;
  lastTime = Number.NEGATIVE_INFINITY;
  last = false;
  readonly view = barView();
  readonly scalar = barView();
  readonly v: Float64Array;
  readonly steps: StepFn[];
  readonly order: Int32Array;
  readonly histories: (readonly [number, History])[];
  readonly base: ((bar: BarView) => void)[] = [];
  readonly higher: { bars: HigherBars; feed: ((bar: BarView) => void)[] }[] = [];

  constructor(program: RuleProgram) {
    // Streams straight from the registry's definitions: the checker has validated the parameters, and reading
    // outputs as plain functions avoids the public instance's getter per read on this hot path.
    const instances = program.indicators.map((u) => {
      const source: IndicatorInput =
        u.input.kind === 'field' && PRICE_FIELDS.has(u.input.field)
          ? (u.input.field as IndicatorInput)
          : 'close';
      return DEFINITIONS.get(u.name)!.stream(u.params, source);
    });
    const histories: (History | undefined)[] = [];
    for (const [slot, depth] of program.history) histories[slot] = new History(depth);
    this.histories = [...program.history.keys()].map((slot) => [slot, histories[slot]!] as const);
    const ctx: StepContext = {
      view: this.view,
      scalar: this.scalar,
      instances,
      fedAt: new Float64Array(instances.length).fill(-1),
      slotInput: program.indicators.map((u) => (u.input.kind === 'slot' ? u.input.slot : undefined)),
      histories,
      clock: this,
    };
    this.v = new Float64Array(program.steps.length);
    // Constants are written once; only the other steps run per bar.
    const live: number[] = [];
    program.steps.forEach((step, i) => {
      if (step.op === 'const') this.v[i] = step.value;
      else live.push(i);
    });
    this.order = Int32Array.from(live);
    this.steps = live.map((i) => stepFn(program.steps[i]!, ctx));
    const byTimeframe = new Map<string, { bars: HigherBars; feed: ((bar: BarView) => void)[] }>();
    program.indicators.forEach((u, i) => {
      if (u.input.kind === 'slot') return;
      const feed = this.feeder(u, instances[i]!);
      if (u.timeframe === null) {
        this.base.push(feed);
        return;
      }
      let group = byTimeframe.get(u.timeframe);
      if (!group) {
        group = { bars: new HigherBars(program.timeframe, parseTimeframe(u.timeframe)!), feed: [] };
        byTimeframe.set(u.timeframe, group);
        this.higher.push(group);
      }
      group.feed.push(feed);
    });
  }

  private feeder(u: IndicatorUse, stream: Stream): (bar: BarView) => void {
    const input = u.input;
    if (input.kind === 'field' && !PRICE_FIELDS.has(input.field)) {
      const scalar = this.scalar;
      return (bar) => {
        scalar.close = fieldOf(bar, input.field);
        stream.feed(scalar);
      };
    }
    return stream.feed;
  }
}

/** Compiles rule text for bars of `options.timeframe` into closures (no eval); errors carry line and column. */
export function compileRule(source: string, options: RuleOptions): CompileResult {
  const checked = checkRule(source, options);
  if (!checked.ok) return checked;
  const program = checked.program;
  const tf = program.timeframe;
  const root = program.root;
  const reported = program.reported.map((slot) => [program.texts[slot]!, slot] as const);
  const intraday = isIntraday(tf);
  const needsSession = intraday && program.indicators.some((u) => u.name === 'VWAP' && u.timeframe === null);
  const needsExtended =
    intraday &&
    program.indicators.some((u) => u.timeframe !== null && !isIntraday(parseTimeframe(u.timeframe)!));

  const values = (s: State): Record<string, number | null> => {
    const out: Record<string, number | null> = {};
    for (const [text, slot] of reported) {
      const x = s.v[slot]!;
      out[text] = Number.isFinite(x) ? x : null;
    }
    return out;
  };

  const rule: CompiledRule = {
    source,
    timeframe: formatTimeframe(tf),
    warmup: program.lookbacks[root] ?? 0,
    indicators: program.indicators.map(({ key, name, params, timeframe }) => ({
      key,
      name,
      params,
      timeframe,
    })),
    program,
    createState: () => new State(program),
    onBar(state, bar) {
      const s = state as State;
      if (!(bar.t > s.lastTime))
        throw new DomainError(
          'SIGNALS_BARS_OUT_OF_ORDER',
          `bar at ${bar.t} is not after the previous bar at ${s.lastTime}`,
          { t: bar.t, previous: s.lastTime },
        );
      s.lastTime = bar.t;
      const view = s.view;
      view.open = bar.o;
      view.high = bar.h;
      view.low = bar.l;
      view.close = bar.c;
      view.volume = bar.v;
      view.time = bar.t;
      if (needsSession) view.session = exchangeDay(bar.t);
      s.bars++;
      for (let i = 0; i < s.base.length; i++) s.base[i]!(view);
      if (s.higher.length > 0) {
        const extended = bar.extended ?? (needsExtended && isExtendedBucket(bar.t, tf));
        for (const group of s.higher) {
          const n = group.bars.push(bar.t, bar.o, bar.h, bar.l, bar.c, bar.v, extended);
          for (let j = 0; j < n; j++) for (const feed of group.feed) feed(group.bars.closed[j as 0 | 1]);
        }
      }
      const v = s.v;
      const steps = s.steps;
      const order = s.order;
      for (let i = 0; i < steps.length; i++) v[order[i]!] = steps[i]!(v);
      for (let i = 0; i < s.histories.length; i++) {
        const [slot, h] = s.histories[i]!;
        h.push(v[slot]!);
      }
      const value = v[root] === 1;
      const fired = value && !s.last;
      s.last = value;
      return { value, fired, values: value ? values(s) : NO_VALUES };
    },
    values: (state) => values(state as State),
  };
  return { ok: true, rule };
}
