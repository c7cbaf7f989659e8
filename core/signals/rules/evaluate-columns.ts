import { DomainError } from '../../kernel/index.js';
import { exchangeDay } from '../../market-data/ny-time.js';
import { isIntraday } from '../../market-data/timeframe.js';
import { definitions, type Stream } from '../indicators/definitions.js';
import type { IndicatorInput } from '../indicators/registry.js';
import type { CompiledRule, RuleBar, RuleState } from './compile-rule.js';
import { barView } from './higher-timeframe.js';
import type { IndicatorUse, RuleProgram, Step } from './program.js';
import { fieldOf } from './rule-steps.js';

/** Bars a chunk holds by default: small enough to stay in cache, large enough that loop overhead vanishes. */
export const CHUNK_BARS = 2048;

type Values = Record<string, number | null>;

/** One bar-fed indicator instance shared by every rule over the same chunks: computed once per chunk. */
type SharedIndicator = {
  readonly outputs: Readonly<Record<string, Float64Array>>;
  /** Feeds the current chunk's bars and records the outputs. */
  readonly feed: () => void;
  /** The chunk last fed. */
  computed: number;
};

/**
 * A series of bars walked in fixed-size chunks of columns (o, h, l, c, v, t). Every rule evaluated over the same
 * chunks shares them, and shares the indicator instances fed from bars. Buffers are reused, so memory stays flat
 * however long the series.
 */
export class BarChunks {
  readonly o: Float64Array;
  readonly h: Float64Array;
  readonly l: Float64Array;
  readonly c: Float64Array;
  readonly v: Float64Array;
  readonly t: Float64Array;
  /** Index of the chunk's first bar in the series. */
  start = 0;
  /** Bars in the current chunk. */
  length = 0;
  /** Increments with each `load`. */
  chunk = -1;
  readonly indicators = new Map<string, SharedIndicator>();
  private last = Number.NEGATIVE_INFINITY;

  /**
   * `columns` says which of high, low and volume to load (time, open and close always are); by default all.
   * `columnsFor` gives what a set of rules reads.
   */
  constructor(
    readonly bars: readonly RuleBar[],
    readonly size = CHUNK_BARS,
    private readonly columns: { high: boolean; low: boolean; volume: boolean } = ALL_COLUMNS,
  ) {
    this.o = new Float64Array(size);
    this.h = new Float64Array(size);
    this.l = new Float64Array(size);
    this.c = new Float64Array(size);
    this.v = new Float64Array(size);
    this.t = new Float64Array(size);
  }

  /** Loads the chunk starting at bar `start` (chunks must be loaded in order); false past the end. */
  load(start: number): boolean {
    const n = Math.min(this.size, this.bars.length - start);
    if (n <= 0) return false;
    for (let j = 0; j < n; j++) {
      const b = this.bars[start + j]!;
      if (!(b.t > this.last))
        throw new DomainError(
          'SIGNALS_BARS_OUT_OF_ORDER',
          `bar at ${b.t} is not after the previous bar at ${this.last}`,
          { t: b.t, previous: this.last },
        );
      this.last = b.t;
      this.t[j] = b.t;
      this.o[j] = b.o;
      this.c[j] = b.c;
    }
    const { high, low, volume } = this.columns;
    if (high) for (let j = 0; j < n; j++) this.h[j] = this.bars[start + j]!.h;
    if (low) for (let j = 0; j < n; j++) this.l[j] = this.bars[start + j]!.l;
    if (volume) for (let j = 0; j < n; j++) this.v[j] = this.bars[start + j]!.v;
    this.start = start;
    this.length = n;
    this.chunk++;
    return true;
  }
}

const ALL_COLUMNS = { high: true, low: true, volume: true } as const;

/** Which bar columns beyond time, open and close the rules read (columnar evaluation only reads those). */
export function columnsFor(rules: readonly CompiledRule[]): { high: boolean; low: boolean; volume: boolean } {
  const need = { high: false, low: false, volume: false };
  const field = (f: string): void => {
    if (f === 'high' || f === 'hl2' || f === 'hlc3' || f === 'ohlc4') need.high = true;
    if (f === 'low' || f === 'hl2' || f === 'hlc3' || f === 'ohlc4') need.low = true;
    if (f === 'volume') need.volume = true;
  };
  for (const rule of rules) {
    const program = rule.program;
    // Higher timeframes are evaluated bar by bar from the bars themselves, not from columns.
    if (!program.indicators.every((u) => u.timeframe === null)) continue;
    for (const use of program.indicators) {
      if (use.input.kind === 'bar') return { ...ALL_COLUMNS };
      if (use.input.kind === 'field') field(use.input.field);
    }
    for (const step of program.steps) if (step.op === 'field') field(step.field);
  }
  return need;
}

/** A rule's verdicts over the current chunk of a `BarChunks`. */
export interface ChunkVerdicts {
  /** 1 where the condition holds at that bar's close, else 0 (false or unknown); index 0 is the chunk's first bar. */
  readonly value: Uint8Array;
  /** Evaluates the chunk `BarChunks` holds now; call once per loaded chunk, in order. */
  evaluate(): void;
  /** The reported operand values at bar `j` of the chunk, as `CompiledRule.onBar` gives them when true there. */
  valuesAt(j: number): Values;
}

/**
 * Evaluates `rule` over `chunks` a column at a time: the same indicator classes fed in the same order and the same
 * step semantics as `rule.onBar`, so every value is bit-identical to streaming — only faster, because each loop is
 * monomorphic and indicators shared with other rules over the same chunks run once. Rules reading a higher
 * timeframe are evaluated bar by bar through `onBar`.
 */
export function chunkVerdicts(rule: CompiledRule, chunks: BarChunks): ChunkVerdicts {
  return rule.program.indicators.every((u) => u.timeframe === null)
    ? new ColumnRule(rule.program, chunks)
    : new StreamedRule(rule, chunks);
}

/** The verdict at every bar of `bars` and the values at the true ones: a convenience over `chunkVerdicts`. */
export function evaluateColumns(
  rule: CompiledRule,
  bars: readonly RuleBar[],
  chunkSize = CHUNK_BARS,
): { value: Uint8Array; values: Map<number, Values> } {
  const chunks = new BarChunks(bars, chunkSize);
  const verdicts = chunkVerdicts(rule, chunks);
  const value = new Uint8Array(bars.length);
  const values = new Map<number, Values>();
  for (let start = 0; chunks.load(start); start += chunks.size) {
    verdicts.evaluate();
    for (let j = 0; j < chunks.length; j++)
      if (verdicts.value[j] === 1) {
        value[start + j] = 1;
        values.set(start + j, verdicts.valuesAt(j));
      }
  }
  return { value, values };
}

/** Bar by bar through `onBar`, for rules the columnar path does not cover. */
class StreamedRule implements ChunkVerdicts {
  readonly value: Uint8Array;
  private readonly state: RuleState;
  private readonly values = new Map<number, Values>();

  constructor(
    private readonly rule: CompiledRule,
    private readonly chunks: BarChunks,
  ) {
    this.value = new Uint8Array(chunks.size);
    this.state = rule.createState();
  }

  evaluate(): void {
    const { bars, start, length } = this.chunks;
    this.values.clear();
    for (let j = 0; j < length; j++) {
      const e = this.rule.onBar(this.state, bars[start + j]!);
      this.value[j] = e.value ? 1 : 0;
      if (e.value) this.values.set(j, { ...e.values });
    }
  }

  valuesAt(j: number): Values {
    return { ...(this.values.get(j) ?? {}) };
  }
}

const DEFINITIONS = new Map(definitions.map((d) => [d.name, d]));
const PRICE_FIELDS = new Set(['open', 'high', 'low', 'close', 'volume']);

/**
 * A slot's values over the chunk at `off`, `off + 1`, …; the `off` values before it are the previous chunk's last
 * ones (NaN before the first bar), so a read k bars back is `buf[off + j - k]` for any k ≤ the slot's history.
 */
type Column = { buf: Float64Array; off: number };

/** An indicator instance this rule feeds itself (input from one of its own slots). */
type OwnIndicator = {
  readonly stream: Stream;
  readonly outputs: Readonly<Record<string, Float64Array>>;
  readonly record: (j: number) => void;
};

class ColumnRule implements ChunkVerdicts {
  readonly value: Uint8Array;
  private readonly cols: Column[];
  private readonly own = new Map<number, OwnIndicator>();
  private readonly ownDone = new Set<number>();
  private readonly reported: (readonly [string, number])[];
  private readonly needsSession: boolean;
  private readonly view = barView();
  private readonly scalar = barView();

  constructor(
    private readonly program: RuleProgram,
    private readonly chunks: BarChunks,
  ) {
    const size = chunks.size;
    this.value = new Uint8Array(size);
    this.needsSession =
      isIntraday(program.timeframe) &&
      program.indicators.some((u) => u.name === 'VWAP' && u.timeframe === null);
    // Slots read back in time (prev, cross, channels) carry their history in front of the chunk.
    this.cols = program.steps.map((step, slot) => {
      const off = program.history.get(slot) ?? 0;
      const buf = new Float64Array(off + size);
      if (step.op === 'const') buf.fill(step.value);
      else buf.fill(Number.NaN, 0, off);
      return { buf, off };
    });
    this.reported = program.reported.map((slot) => [program.texts[slot]!, slot] as const);
  }

  evaluate(): void {
    const n = this.chunks.length;
    const steps = this.program.steps;
    this.ownDone.clear();
    for (let s = 0; s < steps.length; s++) this.step(steps[s]!, this.cols[s]!, n);
    const root = this.cols[this.program.root]!;
    const value = this.value;
    for (let j = 0; j < n; j++) value[j] = root.buf[root.off + j] === 1 ? 1 : 0;
    // Keep each history's last `off` values in front of the next chunk.
    for (const col of this.cols) if (col.off > 0) col.buf.copyWithin(0, n, n + col.off);
  }

  valuesAt(j: number): Values {
    const out: Values = {};
    for (const [text, slot] of this.reported) {
      const col = this.cols[slot]!;
      const x = col.buf[col.off + j]!;
      out[text] = Number.isFinite(x) ? x : null;
    }
    return out;
  }

  /** The outputs of indicator `k` over this chunk. */
  private outputs(k: number): Readonly<Record<string, Float64Array>> {
    const use = this.program.indicators[k]!;
    if (use.input.kind === 'slot') return this.ownIndicator(k, use, use.input.slot);
    const chunks = this.chunks;
    // Shared between rules only when fed identically (a session-anchored VWAP sees the session, others do not).
    const key = `${use.key}${this.needsSession ? '~session' : ''}`;
    let shared = chunks.indicators.get(key);
    if (!shared) {
      shared = { ...this.barFed(use), computed: -1 };
      chunks.indicators.set(key, shared);
    }
    if (shared.computed !== chunks.chunk) {
      shared.computed = chunks.chunk;
      shared.feed();
    }
    return shared.outputs;
  }

  /** A bar-fed instance: its output buffers and how to feed it the current chunk. */
  private barFed(use: IndicatorUse): Omit<SharedIndicator, 'computed'> {
    const input = use.input;
    const source: IndicatorInput =
      input.kind === 'field' && PRICE_FIELDS.has(input.field) ? (input.field as IndicatorInput) : 'close';
    const stream = DEFINITIONS.get(use.name)!.stream(use.params, source);
    const { record, outputs } = recorder(stream, this.chunks.size);
    const derived = input.kind === 'field' && !PRICE_FIELDS.has(input.field) ? input.field : null;
    const chunks = this.chunks;
    const needsSession = this.needsSession;
    // Fresh views per instance, fed exactly as a streaming state feeds it: the bar, or a derived field as the close
    // of an otherwise empty view.
    const view = barView();
    const scalar = barView();
    const step = stream.step;
    if (step && !needsSession && derived === null) {
      // One value in, one value out: the tightest loop, straight from the chunk's column.
      const column = chunkColumn(chunks, source);
      const out = Object.values(outputs)[0]!;
      const feed = (): void => {
        const n = chunks.length;
        for (let j = 0; j < n; j++) {
          const x = step(column[j]!);
          // Same mapping as a streaming read: anything not finite is null.
          out[j] = x - x === 0 ? x : Number.NaN;
        }
      };
      return { outputs, feed };
    }
    const push = stream.push;
    if (push && !needsSession) {
      // One value per bar: feed it straight from the chunk's column (or the derived field), as `feed` would read it.
      const column = derived === null ? chunkColumn(chunks, source) : null;
      const derivedValues = derived === null ? null : new Float64Array(chunks.size);
      const feed = (): void => {
        const n = chunks.length;
        let x = column;
        if (derivedValues !== null) {
          for (let j = 0; j < n; j++) {
            view.open = chunks.o[j]!;
            view.high = chunks.h[j]!;
            view.low = chunks.l[j]!;
            view.close = chunks.c[j]!;
            derivedValues[j] = fieldOf(view, derived!);
          }
          x = derivedValues;
        }
        for (let j = 0; j < n; j++) {
          push(x![j]!);
          record(j);
        }
      };
      return { outputs, feed };
    }
    const feed = (): void => {
      const { o, h, l, c, v, t } = chunks;
      for (let j = 0; j < chunks.length; j++) {
        view.open = o[j]!;
        view.high = h[j]!;
        view.low = l[j]!;
        view.close = c[j]!;
        view.volume = v[j]!;
        view.time = t[j]!;
        if (needsSession) view.session = exchangeDay(view.time);
        if (derived !== null) {
          scalar.close = fieldOf(view, derived);
          stream.feed(scalar);
        } else stream.feed(view);
        record(j);
      }
    };
    return { outputs, feed };
  }

  /** An instance fed from slot `src` of this rule, once per chunk. */
  private ownIndicator(k: number, use: IndicatorUse, src: number): Readonly<Record<string, Float64Array>> {
    let own = this.own.get(k);
    if (!own) {
      const stream = DEFINITIONS.get(use.name)!.stream(use.params, 'close');
      own = { stream, ...recorder(stream, this.chunks.size) };
      this.own.set(k, own);
    }
    if (!this.ownDone.has(k)) {
      this.ownDone.add(k);
      const { record } = own;
      const col = this.cols[src]!;
      const scalar = this.scalar;
      for (let j = 0; j < this.chunks.length; j++) {
        const x = col.buf[col.off + j]!;
        // A null source (its warm-up, a division by zero) is skipped rather than poisoning the window.
        if (x === x) {
          scalar.close = x;
          own.stream.feed(scalar);
        }
        record(j);
      }
    }
    return own.outputs;
  }

  /** Computes one step over the chunk into `r`; the loop bodies mirror `stepFn` in rule-steps.ts exactly. */
  private step(step: Step, r: Column, n: number): void {
    const out = r.buf;
    const ro = r.off;
    switch (step.op) {
      case 'const':
        return;
      case 'field': {
        const f = step.field;
        const ch = this.chunks;
        if (PRICE_FIELDS.has(f)) {
          out.set(chunkColumn(ch, f as IndicatorInput).subarray(0, n), ro);
          return;
        }
        const view = this.view;
        for (let j = 0; j < n; j++) {
          view.open = ch.o[j]!;
          view.high = ch.h[j]!;
          view.low = ch.l[j]!;
          view.close = ch.c[j]!;
          out[ro + j] = fieldOf(view, f);
        }
        return;
      }
      case 'output':
        out.set(this.outputs(step.indicator)[step.output]!.subarray(0, n), ro);
        return;
      case 'neg':
      case 'abs':
      case 'not': {
        const { buf: a, off: ao } = this.cols[step.a]!;
        if (step.op === 'neg') for (let j = 0; j < n; j++) out[ro + j] = -a[ao + j]!;
        else if (step.op === 'abs') for (let j = 0; j < n; j++) out[ro + j] = Math.abs(a[ao + j]!);
        else for (let j = 0; j < n; j++) out[ro + j] = 1 - a[ao + j]!;
        return;
      }
      case 'arith': {
        const { buf: a, off: ao } = this.cols[step.a]!;
        const { buf: b, off: bo } = this.cols[step.b]!;
        switch (step.fn) {
          case '+':
            for (let j = 0; j < n; j++) out[ro + j] = finite(a[ao + j]! + b[bo + j]!);
            return;
          case '-':
            for (let j = 0; j < n; j++) out[ro + j] = finite(a[ao + j]! - b[bo + j]!);
            return;
          case '*':
            for (let j = 0; j < n; j++) out[ro + j] = finite(a[ao + j]! * b[bo + j]!);
            return;
          case '/':
            for (let j = 0; j < n; j++) out[ro + j] = finite(a[ao + j]! / b[bo + j]!);
            return;
          default:
            for (let j = 0; j < n; j++) out[ro + j] = finite(a[ao + j]! % b[bo + j]!);
            return;
        }
      }
      case 'compare':
        compareColumn(step.fn, this.cols[step.a]!, this.cols[step.b]!, r, n);
        return;
      case 'and':
      case 'or': {
        const { buf: a, off: ao } = this.cols[step.a]!;
        const { buf: b, off: bo } = this.cols[step.b]!;
        // Kleene logic: for `and`, false wins over unknown and unknown over true; `or` is its dual.
        const win = step.op === 'and' ? 0 : 1;
        for (let j = 0; j < n; j++) {
          const x = a[ao + j]!;
          const y = b[bo + j]!;
          out[ro + j] = x === win || y === win ? win : x !== x || y !== y ? Number.NaN : 1 - win;
        }
        return;
      }
      case 'min':
      case 'max': {
        const args = step.args.map((s) => this.cols[s]!);
        const pick = step.op === 'min' ? Math.min : Math.max;
        for (let j = 0; j < n; j++) {
          let x = args[0]!.buf[args[0]!.off + j]!;
          for (let k = 1; k < args.length; k++) x = pick(x, args[k]!.buf[args[k]!.off + j]!);
          out[ro + j] = x;
        }
        return;
      }
      case 'prev':
      case 'change':
      case 'pct_change': {
        const { buf: a, off: ao } = this.cols[step.a]!;
        const k = step.n;
        if (step.op === 'prev') for (let j = 0; j < n; j++) out[ro + j] = a[ao + j - k]!;
        else if (step.op === 'change') for (let j = 0; j < n; j++) out[ro + j] = a[ao + j]! - a[ao + j - k]!;
        else
          for (let j = 0; j < n; j++) {
            const past = a[ao + j - k]!;
            out[ro + j] = finite(((a[ao + j]! - past) / past) * 100);
          }
        return;
      }
      case 'moving': {
        const { buf: a, off: ao } = this.cols[step.a]!;
        const { n: k, pct } = step;
        const up = step.dir === 'up';
        for (let j = 0; j < n; j++) {
          const past = a[ao + j - k]!;
          const moved = finite(((a[ao + j]! - past) / past) * 100);
          out[ro + j] = moved !== moved ? Number.NaN : (up ? moved >= pct : -moved >= pct) ? 1 : 0;
        }
        return;
      }
      case 'cross': {
        const { buf: a, off: ao } = this.cols[step.a]!;
        const { buf: b, off: bo } = this.cols[step.b]!;
        const above = step.dir === 'above';
        for (let j = 0; j < n; j++) {
          const x = a[ao + j]!;
          const y = b[bo + j]!;
          const px = a[ao + j - 1]!;
          const py = b[bo + j - 1]!;
          if (x !== x || y !== y || px !== px || py !== py) out[ro + j] = Number.NaN;
          else out[ro + j] = (above ? x > y && px <= py : x < y && px >= py) ? 1 : 0;
        }
        return;
      }
      case 'channel': {
        const p = this.cols[step.x]!;
        const lo = this.cols[step.lo]!;
        const hi = this.cols[step.hi]!;
        const kind = step.kind;
        const history = kind === 'entering' || kind === 'exiting';
        for (let j = 0; j < n; j++) {
          const x = p.buf[p.off + j]!;
          const l = lo.buf[lo.off + j]!;
          const u = hi.buf[hi.off + j]!;
          if (x !== x || l !== l || u !== u) {
            out[ro + j] = Number.NaN;
            continue;
          }
          if (!history) {
            out[ro + j] = inside(x, l, u) === (kind === 'inside') ? 1 : 0;
            continue;
          }
          const px = p.buf[p.off + j - 1]!;
          const pl = lo.buf[lo.off + j - 1]!;
          const pu = hi.buf[hi.off + j - 1]!;
          if (px !== px || pl !== pl || pu !== pu) {
            out[ro + j] = Number.NaN;
            continue;
          }
          const now = inside(x, l, u);
          const before = inside(px, pl, pu);
          out[ro + j] = (kind === 'entering' ? now && !before : !now && before) ? 1 : 0;
        }
        return;
      }
    }
  }
}

/** The chunk's column of a price field. */
function chunkColumn(chunks: BarChunks, field: IndicatorInput): Float64Array {
  switch (field) {
    case 'open':
      return chunks.o;
    case 'high':
      return chunks.h;
    case 'low':
      return chunks.l;
    case 'volume':
      return chunks.v;
    default:
      return chunks.c;
  }
}

const finite = (x: number): number => (x === Infinity || x === -Infinity ? Number.NaN : x);
const inside = (x: number, l: number, u: number): boolean => (l <= u ? x >= l && x <= u : x >= u && x <= l);

/** Output buffers for `stream` and a function copying its current outputs into position j. */
function recorder(
  stream: Stream,
  size: number,
): { outputs: Record<string, Float64Array>; record: (j: number) => void } {
  const names = Object.keys(stream.read);
  const bufs = names.map(() => new Float64Array(size));
  const record = recordInto(
    names.map((o) => stream.read[o]!),
    bufs,
  );
  return { outputs: Object.fromEntries(names.map((o, k) => [o, bufs[k]!])), record };
}

function recordInto(reads: readonly (() => number)[], bufs: readonly Float64Array[]): (j: number) => void {
  const m = reads.length;
  if (m === 1) {
    const read = reads[0]!;
    const buf = bufs[0]!;
    // Same mapping as a streaming read: anything not finite is null.
    return (j) => {
      const x = read();
      buf[j] = x - x === 0 ? x : Number.NaN;
    };
  }
  return (j) => {
    for (let k = 0; k < m; k++) {
      const x = reads[k]!();
      bufs[k]![j] = x - x === 0 ? x : Number.NaN;
    }
  };
}

function compareColumn(
  fn: '<' | '<=' | '>' | '>=' | '==' | '!=',
  a: Column,
  b: Column,
  r: Column,
  n: number,
): void {
  const { buf: x, off: xo } = a;
  const { buf: y, off: yo } = b;
  const { buf: out, off: ro } = r;
  // One loop per operator keeps each monomorphic; NaN on either side is unknown.
  switch (fn) {
    case '<':
      for (let j = 0; j < n; j++) {
        const p = x[xo + j]!;
        const q = y[yo + j]!;
        out[ro + j] = p !== p || q !== q ? Number.NaN : p < q ? 1 : 0;
      }
      return;
    case '<=':
      for (let j = 0; j < n; j++) {
        const p = x[xo + j]!;
        const q = y[yo + j]!;
        out[ro + j] = p !== p || q !== q ? Number.NaN : p <= q ? 1 : 0;
      }
      return;
    case '>':
      for (let j = 0; j < n; j++) {
        const p = x[xo + j]!;
        const q = y[yo + j]!;
        out[ro + j] = p !== p || q !== q ? Number.NaN : p > q ? 1 : 0;
      }
      return;
    case '>=':
      for (let j = 0; j < n; j++) {
        const p = x[xo + j]!;
        const q = y[yo + j]!;
        out[ro + j] = p !== p || q !== q ? Number.NaN : p >= q ? 1 : 0;
      }
      return;
    case '==':
      for (let j = 0; j < n; j++) {
        const p = x[xo + j]!;
        const q = y[yo + j]!;
        out[ro + j] = p !== p || q !== q ? Number.NaN : p === q ? 1 : 0;
      }
      return;
    default:
      for (let j = 0; j < n; j++) {
        const p = x[xo + j]!;
        const q = y[yo + j]!;
        out[ro + j] = p !== p || q !== q ? Number.NaN : p !== q ? 1 : 0;
      }
  }
}
