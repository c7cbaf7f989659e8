import { DomainError, Money } from '../../kernel/index.js';
import { type Timeframe } from '../../market-data/timeframe.js';
import { type CommissionSchedule, type FillModel, fillModel } from '../../trading/index.js';
import { ruleTimeframe } from '../rules/check-rule.js';
import { type CompiledRule, compileRule } from '../rules/compile-rule.js';
import { type FiringMode, type FiringPolicy, firingPolicy } from '../rules/firing-policy.js';
import { ruleDomainError } from '../rules/rule-error.js';

/** Long buys on entry and sells on exit; short sells on entry and buys back on exit. */
export type BacktestSide = 'long' | 'short';

/** How many shares an entry buys or sells: a fixed quantity, or a percentage of equity at the fill (whole shares). */
export type Sizing =
  | { readonly kind: 'qty'; readonly qty: string | number }
  | { readonly kind: 'pct_equity'; readonly pct: number };

/** What a backtest runs: rule sources, side, sizing, cash and the fill model's slippage and commission. */
export type BacktestOptions = {
  /** Entry rule; decided at each bar close, filled at the next bar's open. */
  readonly entry: string;
  /** Exit rule; when absent, a position is held to the end. */
  readonly exit?: string | null;
  readonly timeframe: Timeframe | string;
  readonly side?: BacktestSide;
  /** Default: 100 % of equity. */
  readonly sizing?: Sizing;
  /** Starting cash in dollars; default 100,000. */
  readonly initialCash?: string | number;
  /** Taker slippage in basis points applied to the next bar's open (buys pay more, sells get less). */
  readonly slippageBps?: number;
  /** Commission schedule in dollars; default none. */
  readonly commission?: {
    readonly perOrder?: string | number;
    readonly perShare?: string | number;
    readonly minimum?: string | number;
  };
  /** Which true entry bars count as signals (the live signal's firing policy); default `every_time`. */
  readonly entryFiring?: { readonly mode: FiringMode; readonly cooldownBars?: number };
};

/** Options compiled and checked once, ready for a run. */
export type ResolvedBacktest = {
  readonly timeframe: Timeframe;
  readonly entry: CompiledRule;
  readonly exit: CompiledRule | null;
  readonly side: BacktestSide;
  readonly sizing: { kind: 'qty'; qty: Money } | { kind: 'pct_equity'; pct: Money };
  readonly initialCash: Money;
  readonly fillModel: FillModel;
  readonly entryPolicy: FiringPolicy;
};

function invalid(name: string, message: string): DomainError {
  return new DomainError('SIGNALS_INVALID_PARAMETER', message, { name });
}

function money(name: string, value: string | number | undefined, fallback: number): Money {
  if (value === undefined) return new Money(fallback);
  const text = String(value);
  if (!/^\d+(\.\d+)?$/.test(text))
    throw invalid(name, `${name} must be a non-negative decimal, not ${JSON.stringify(value)}`);
  return new Money(text);
}

function compile(source: string, timeframe: Timeframe, which: 'entry' | 'exit'): CompiledRule {
  const result = compileRule(source, { timeframe });
  if (!result.ok) {
    const error = ruleDomainError(result.errors);
    throw new DomainError(error.code, `${which} rule: ${error.message}`, { ...error.details, rule: which });
  }
  return result.rule;
}

/** Checks and compiles backtest options; throws the rule's error (with line:column) or SIGNALS_INVALID_PARAMETER. */
export function resolveBacktest(options: BacktestOptions): ResolvedBacktest {
  const timeframe = ruleTimeframe(options.timeframe);
  const side = options.side ?? 'long';
  if (side !== 'long' && side !== 'short') throw invalid('side', 'side must be long or short');
  const sizing = options.sizing ?? { kind: 'pct_equity', pct: 100 };
  let resolvedSizing: ResolvedBacktest['sizing'];
  if (sizing.kind === 'qty') {
    const qty = money('qty', sizing.qty, 0);
    if (qty.lte(0)) throw invalid('qty', 'qty must be above 0');
    resolvedSizing = { kind: 'qty', qty };
  } else {
    if (!(sizing.pct > 0 && sizing.pct <= 1000))
      throw invalid('pct', 'pct of equity must be above 0 and at most 1000');
    resolvedSizing = { kind: 'pct_equity', pct: new Money(sizing.pct) };
  }
  const slippageBps = options.slippageBps ?? 0;
  if (!(slippageBps >= 0 && slippageBps <= 10_000))
    throw invalid('slippageBps', 'slippage must be 0 to 10000 bps');
  const commission: CommissionSchedule = {
    perOrder: money('commission', options.commission?.perOrder, 0),
    perShare: money('commissionPerShare', options.commission?.perShare, 0),
    minimum: money('commissionMinimum', options.commission?.minimum, 0),
  };
  const initialCash = money('initialCash', options.initialCash, 100_000);
  if (initialCash.lte(0)) throw invalid('initialCash', 'initial cash must be above 0');
  return {
    timeframe,
    entry: compile(options.entry, timeframe, 'entry'),
    exit: options.exit ? compile(options.exit, timeframe, 'exit') : null,
    side,
    sizing: resolvedSizing,
    initialCash,
    fillModel: fillModel({ slippageBps, commission }),
    entryPolicy: firingPolicy({
      mode: options.entryFiring?.mode ?? 'every_time',
      cooldownBars: options.entryFiring?.cooldownBars ?? 0,
    }),
  };
}
