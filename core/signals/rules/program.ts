import type { Timeframe } from '../../market-data/timeframe.js';
import type { IndicatorParams } from '../indicators/registry.js';
import type { BarField } from './functions.js';

/** What a slot holds: a number, or a condition (1 true, 0 false; NaN unknown in both). */
export type ValueType = 'number' | 'boolean';

/** One evaluation step; operands are earlier slots, so evaluating steps in order is a topological order. */
export type Step =
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'field'; readonly field: BarField }
  | { readonly op: 'output'; readonly indicator: number; readonly output: string }
  | { readonly op: 'neg' | 'abs' | 'not'; readonly a: number }
  | { readonly op: 'arith'; readonly fn: '+' | '-' | '*' | '/' | '%'; readonly a: number; readonly b: number }
  | {
      readonly op: 'compare';
      readonly fn: '<' | '<=' | '>' | '>=' | '==' | '!=';
      readonly a: number;
      readonly b: number;
    }
  | { readonly op: 'and' | 'or'; readonly a: number; readonly b: number }
  | { readonly op: 'min' | 'max'; readonly args: readonly number[] }
  | { readonly op: 'prev' | 'change' | 'pct_change'; readonly a: number; readonly n: number }
  | {
      readonly op: 'moving';
      readonly dir: 'up' | 'down';
      readonly a: number;
      readonly pct: number;
      readonly n: number;
    }
  | { readonly op: 'cross'; readonly dir: 'above' | 'below'; readonly a: number; readonly b: number }
  | {
      readonly op: 'channel';
      readonly kind: 'entering' | 'exiting' | 'inside' | 'outside';
      readonly x: number;
      readonly lo: number;
      readonly hi: number;
    };

/** What an indicator instance is fed: whole bars, one bar field, or the value of an earlier slot. */
export type IndicatorInputOf =
  | { readonly kind: 'bar' }
  | { readonly kind: 'field'; readonly field: BarField }
  | { readonly kind: 'slot'; readonly slot: number };

/** One deduplicated indicator instance: same (name, params, input, timeframe) means the same instance. */
export type IndicatorUse = {
  readonly key: string;
  readonly name: string;
  readonly params: IndicatorParams;
  readonly input: IndicatorInputOf;
  /** A higher timeframe (e.g. `1Day`), or null for the rule's own bars. */
  readonly timeframe: string | null;
  readonly lookback: number;
};

/** A checked rule: steps in evaluation order, the instances they read, and what to report when it fires. */
export type RuleProgram = {
  readonly timeframe: Timeframe;
  readonly steps: readonly Step[];
  readonly types: readonly ValueType[];
  /** Source text of each slot, whitespace-collapsed; keys of the reported values. */
  readonly texts: readonly string[];
  /** Bars (rule timeframe) before each slot can be non-null; estimated for higher timeframes. */
  readonly lookbacks: readonly number[];
  readonly root: number;
  readonly indicators: readonly IndicatorUse[];
  /** Slots whose past values are read, and how many bars back at most. */
  readonly history: ReadonlyMap<number, number>;
  /** Numeric operands of comparisons, crossings and channels: the values reported with a firing. */
  readonly reported: readonly number[];
};
