import type { Stream } from '../indicators/definitions.js';
import type { BarField } from './functions.js';
import type { BarView } from './higher-timeframe.js';
import type { Step } from './program.js';

/** Past values of one slot, newest last; `ago(k)` is the value k bars back, NaN before there was one. */
export class History {
  private readonly buf: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly depth: number) {
    this.buf = new Float64Array(depth);
  }

  push(x: number): void {
    this.buf[this.head] = x;
    this.head = this.head + 1 === this.depth ? 0 : this.head + 1;
    if (this.count < this.depth) this.count++;
  }

  ago(k: number): number {
    if (k > this.count) return Number.NaN;
    const i = this.head - k;
    return this.buf[i < 0 ? i + this.depth : i]!;
  }
}

/** What a step reads from its state: the current bar, indicator instances and histories. */
export type StepContext = {
  readonly view: BarView;
  readonly scalar: BarView;
  readonly instances: readonly Stream[];
  /** For instances fed from a slot: the bar count they were last fed at. */
  readonly fedAt: Float64Array;
  readonly slotInput: readonly (number | undefined)[];
  readonly histories: readonly (History | undefined)[];
  readonly clock: { bars: number };
};

/** A compiled step: reads earlier slots of `v` and returns its own value (NaN is null / unknown). */
export type StepFn = (v: Float64Array) => number;

const finite = (x: number): number => (x === Infinity || x === -Infinity ? Number.NaN : x);
const truth = (c: boolean): number => (c ? 1 : 0);

/** Reads a bar field from a view, derived fields included. */
export function fieldOf(view: BarView, field: BarField): number {
  switch (field) {
    case 'hl2':
      return (view.high + view.low) / 2;
    case 'hlc3':
      return (view.high + view.low + view.close) / 3;
    case 'ohlc4':
      return (view.open + view.high + view.low + view.close) / 4;
    default:
      return view[field];
  }
}

function compare(fn: '<' | '<=' | '>' | '>=' | '==' | '!=', a: number, b: number): StepFn {
  const test = {
    '<': (x: number, y: number) => x < y,
    '<=': (x: number, y: number) => x <= y,
    '>': (x: number, y: number) => x > y,
    '>=': (x: number, y: number) => x >= y,
    '==': (x: number, y: number) => x === y,
    '!=': (x: number, y: number) => x !== y,
  }[fn];
  return (v) => {
    const x = v[a]!;
    const y = v[b]!;
    return x !== x || y !== y ? Number.NaN : truth(test(x, y));
  };
}

/** Builds the closure of one step over a state's context. Comparisons with null are unknown (NaN), never true. */
export function stepFn(step: Step, ctx: StepContext): StepFn {
  switch (step.op) {
    case 'const': {
      const c = step.value;
      return () => c;
    }
    case 'field': {
      const { view } = ctx;
      const f = step.field;
      if (f === 'close') return () => view.close;
      return () => fieldOf(view, f);
    }
    case 'output': {
      const stream = ctx.instances[step.indicator]!;
      const read = stream.read[step.output]!;
      // Same mapping as the registry's public values: anything not finite is null.
      const value = (): number => {
        const x = read();
        return x - x === 0 ? x : Number.NaN;
      };
      const src = ctx.slotInput[step.indicator];
      if (src === undefined) return value;
      const { scalar, fedAt, clock } = ctx;
      const k = step.indicator;
      return (v) => {
        if (fedAt[k] !== clock.bars) {
          fedAt[k] = clock.bars;
          const x = v[src]!;
          // A null source (its warm-up, a division by zero) is skipped rather than poisoning the window.
          if (x === x) {
            scalar.close = x;
            stream.feed(scalar);
          }
        }
        return value();
      };
    }
    case 'neg': {
      const a = step.a;
      return (v) => -v[a]!;
    }
    case 'abs': {
      const a = step.a;
      return (v) => Math.abs(v[a]!);
    }
    case 'not': {
      const a = step.a;
      return (v) => 1 - v[a]!;
    }
    case 'arith': {
      const { a, b } = step;
      switch (step.fn) {
        case '+':
          return (v) => finite(v[a]! + v[b]!);
        case '-':
          return (v) => finite(v[a]! - v[b]!);
        case '*':
          return (v) => finite(v[a]! * v[b]!);
        case '/':
          return (v) => finite(v[a]! / v[b]!);
        default:
          return (v) => finite(v[a]! % v[b]!);
      }
    }
    case 'compare':
      return compare(step.fn, step.a, step.b);
    case 'and': {
      const { a, b } = step;
      // Kleene logic: false wins over unknown, unknown over true.
      return (v) => {
        const x = v[a]!;
        const y = v[b]!;
        return x === 0 || y === 0 ? 0 : x !== x || y !== y ? Number.NaN : 1;
      };
    }
    case 'or': {
      const { a, b } = step;
      return (v) => {
        const x = v[a]!;
        const y = v[b]!;
        return x === 1 || y === 1 ? 1 : x !== x || y !== y ? Number.NaN : 0;
      };
    }
    case 'min':
    case 'max': {
      const args = step.args;
      const pick = step.op === 'min' ? Math.min : Math.max;
      return (v) => {
        let r = v[args[0]!]!;
        for (let i = 1; i < args.length; i++) r = pick(r, v[args[i]!]!);
        return r;
      };
    }
    case 'prev':
    case 'change':
    case 'pct_change': {
      const { a, n } = step;
      const h = ctx.histories[a]!;
      if (step.op === 'prev') return () => h.ago(n);
      if (step.op === 'change') return (v) => v[a]! - h.ago(n);
      return (v) => finite(((v[a]! - h.ago(n)) / h.ago(n)) * 100);
    }
    case 'moving': {
      const { a, n, pct } = step;
      const h = ctx.histories[a]!;
      const up = step.dir === 'up';
      return (v) => {
        const past = h.ago(n);
        const moved = finite(((v[a]! - past) / past) * 100);
        if (moved !== moved) return Number.NaN;
        return truth(up ? moved >= pct : -moved >= pct);
      };
    }
    case 'cross': {
      const { a, b } = step;
      const ha = ctx.histories[a]!;
      const hb = ctx.histories[b]!;
      const above = step.dir === 'above';
      return (v) => {
        const x = v[a]!;
        const y = v[b]!;
        const px = ha.ago(1);
        const py = hb.ago(1);
        if (x !== x || y !== y || px !== px || py !== py) return Number.NaN;
        return truth(above ? x > y && px <= py : x < y && px >= py);
      };
    }
    case 'channel': {
      const { x, lo, hi, kind } = step;
      const inside = (p: number, l: number, u: number): boolean =>
        l <= u ? p >= l && p <= u : p >= u && p <= l;
      if (kind === 'inside' || kind === 'outside')
        return (v) => {
          const p = v[x]!;
          const l = v[lo]!;
          const u = v[hi]!;
          if (p !== p || l !== l || u !== u) return Number.NaN;
          return truth(inside(p, l, u) === (kind === 'inside'));
        };
      const hx = ctx.histories[x]!;
      const hl = ctx.histories[lo]!;
      const hh = ctx.histories[hi]!;
      const entering = kind === 'entering';
      return (v) => {
        const p = v[x]!;
        const l = v[lo]!;
        const u = v[hi]!;
        const pp = hx.ago(1);
        const pl = hl.ago(1);
        const pu = hh.ago(1);
        if (p !== p || l !== l || u !== u || pp !== pp || pl !== pl || pu !== pu) return Number.NaN;
        const now = inside(p, l, u);
        const before = inside(pp, pl, pu);
        return truth(entering ? now && !before : !now && before);
      };
    }
  }
}
