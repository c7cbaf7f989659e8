import { formatTimeframe, type Timeframe } from '../../market-data/timeframe.js';
import type { Span } from './ast.js';
import { RULE_LIMITS } from './limits.js';
import type { IndicatorUse, RuleProgram, Step, ValueType } from './program.js';
import { type RuleError, type RuleErrorCode, ruleError } from './rule-error.js';

/** A checked sub-expression: its slot, type, and value when it folds to a constant. */
export type Checked = { readonly slot: number; readonly type: ValueType; readonly constant?: number };

/** Collects steps (hash-consed, so equal sub-expressions share one slot), indicator instances and errors. */
export class ProgramBuilder {
  readonly errors: RuleError[] = [];
  private readonly steps: Step[] = [];
  private readonly types: ValueType[] = [];
  private readonly texts: string[] = [];
  private readonly lookbacks: number[] = [];
  private readonly slots = new Map<string, number>();
  private readonly indicators: IndicatorUse[] = [];
  private readonly indicatorIndex = new Map<string, number>();
  private readonly history = new Map<number, number>();
  private readonly reported = new Set<number>();

  constructor(
    readonly source: string,
    readonly timeframe: Timeframe,
  ) {}

  /** Records an error at `span`; returns null so callers can `return b.fail(...)`. */
  fail(span: Span, message: string, code?: RuleErrorCode): null {
    this.errors.push(ruleError(this.source, span, message, code ? { code } : {}));
    return null;
  }

  /** The source text of `span`, comments dropped and whitespace collapsed. */
  text(span: Span): string {
    return this.source
      .slice(span.start, span.end)
      .replace(/#[^\n]*/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  }

  /** The slot of `step`, reusing an equal earlier one; `constant` marks a folded number. */
  add(step: Step, type: ValueType, lookback: number, span: Span, constant?: number): Checked {
    const key = JSON.stringify(step);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.steps.length;
      this.slots.set(key, slot);
      this.steps.push(step);
      this.types.push(type);
      this.texts.push(this.text(span));
      this.lookbacks.push(lookback);
    }
    return constant === undefined ? { slot, type } : { slot, type, constant };
  }

  /** A constant number slot. */
  constant(value: number, span: Span): Checked {
    return this.add({ op: 'const', value }, 'number', 0, span, value);
  }

  lookback(slot: number): number {
    return this.lookbacks[slot] ?? 0;
  }

  /** Notes that `slot`'s value `bars` back is read. */
  needHistory(slot: number, bars: number): void {
    this.history.set(slot, Math.max(bars, this.history.get(slot) ?? 0));
  }

  /** Reports these operands' values with a firing (constants are left out). */
  report(...operands: readonly Checked[]): void {
    for (const o of operands) if (o.constant === undefined && o.type === 'number') this.reported.add(o.slot);
  }

  /** The index of the instance `use` describes, shared with an equal earlier one; null past the instance limit. */
  indicator(use: Omit<IndicatorUse, 'key'>, span: Span): number | null {
    const input =
      use.input.kind === 'slot' ? `#${use.input.slot}` : use.input.kind === 'field' ? use.input.field : 'bar';
    const key = `${use.name}(${Object.values(use.params).join(',')})<${input}>${use.timeframe ? `@${use.timeframe}` : ''}`;
    const found = this.indicatorIndex.get(key);
    if (found !== undefined) return found;
    if (this.indicators.length >= RULE_LIMITS.maxIndicators)
      return this.fail(
        span,
        `the rule uses more than ${RULE_LIMITS.maxIndicators} indicators`,
        'SIGNALS_RULE_TOO_COMPLEX',
      );
    this.indicatorIndex.set(key, this.indicators.length);
    this.indicators.push({ key, ...use });
    return this.indicators.length - 1;
  }

  /** The finished program rooted at `root`. */
  build(root: number): RuleProgram {
    return {
      timeframe: { ...this.timeframe },
      steps: this.steps,
      types: this.types,
      texts: this.texts,
      lookbacks: this.lookbacks,
      root,
      indicators: this.indicators,
      history: this.history,
      reported: [...this.reported].sort((a, b) => a - b),
    };
  }

  /** The rule's timeframe as text, e.g. `5Min`. */
  get timeframeText(): string {
    return formatTimeframe(this.timeframe);
  }
}
