import { Money } from '../../kernel/index.js';
import { commissionFor, takerPrice } from '../../trading/index.js';
import type { RuleBar, RuleState } from '../rules/compile-rule.js';
import type { BarChunks, ChunkVerdicts } from '../rules/evaluate-columns.js';
import type { FiringState } from '../rules/firing-policy.js';
import type { ResolvedBacktest } from './backtest-options.js';

/** Rule operand values at a decision, keyed by their source text. */
export type RuleValues = Readonly<Record<string, number | null>>;

/** An entry signal: a bar whose close the entry rule fired on (under the entry firing policy), whether or not it traded. */
export type BacktestSignal = { readonly t: number; readonly index: number; readonly values: RuleValues };

/** One round trip. Prices and money are exact decimals; `returnPct` is float64. */
export type BacktestTrade = {
  readonly side: 'long' | 'short';
  readonly qty: Money;
  /** The bar whose close decided the entry; the fill is at the next bar's open. */
  readonly signalAt: number;
  readonly entryAt: number;
  readonly entryPrice: Money;
  readonly entryCommission: Money;
  readonly entryValues: RuleValues;
  exitSignalAt: number | null;
  exitAt: number | null;
  exitPrice: Money | null;
  exitCommission: Money;
  exitValues: RuleValues | null;
  /** Net of both commissions; null while open. */
  pnl: Money | null;
  /** pnl over the entry notional; null while open. */
  returnPct: number | null;
  /** Bars from the entry fill to the exit fill (or to the last bar while open). */
  bars: number;
};

/** What a run produced, before metrics: see `backtestReport`. */
export type BacktestRun = {
  readonly options: ResolvedBacktest;
  readonly bars: number;
  readonly times: Float64Array;
  /** Equity marked at each bar's close, float64 (cash + position × close). */
  readonly equity: Float64Array;
  /** Buying the whole starting cash at the first bar's open (same fill model) and holding. */
  readonly buyAndHold: Float64Array;
  readonly barsInMarket: number;
  readonly cash: Money;
  readonly trades: readonly BacktestTrade[];
  readonly signals: readonly BacktestSignal[];
  /** A decision at the last bar that had no next bar to fill on. */
  readonly pendingAtEnd: 'entry' | 'exit' | null;
};

/** Where a decision reads the operand values of the rule that made it, only when it needs them. */
type DecisionValues = { entryValues(): RuleValues; exitValues(): RuleValues };

/** Holds the values of the last streamed evaluation. */
class StreamedValues implements DecisionValues {
  entry: RuleValues = {};
  exit: RuleValues = {};
  entryValues(): RuleValues {
    return this.entry;
  }
  exitValues(): RuleValues {
    return this.exit;
  }
}

/** Reads values from the rules' verdicts over a chunk, at bar `j` of it. */
class ChunkValues implements DecisionValues {
  j = 0;
  entry: ChunkVerdicts | null = null;
  exit: ChunkVerdicts | null = null;
  entryValues(): RuleValues {
    return this.entry?.valuesAt(this.j) ?? {};
  }
  exitValues(): RuleValues {
    return this.exit?.valuesAt(this.j) ?? {};
  }
}

const NONE = 0;
const ENTER = 1;
const EXIT = 2;

/**
 * Runs entry/exit rules over bars one at a time with no look-ahead: each rule sees a bar only at its close, and
 * a decision made at a close executes at the next bar's open through core/trading's fill model (taker price with
 * slippage in bps, commission schedule). Cash and trade P&L are exact decimals; the equity curve is float64.
 */
export class Backtester {
  private readonly entryState: RuleState;
  private readonly exitState: RuleState | null;
  private readonly dir: 1 | -1;
  private times: Float64Array;
  private equity: Float64Array;
  private hold: Float64Array;
  private n = 0;
  private cash: Money;
  private cashF: number;
  private qty = 0;
  private inMarket = 0;
  private pending = NONE;
  private pendingAt = 0;
  private pendingValues: RuleValues = {};
  private open: BacktestTrade | null = null;
  private heldSince = 0;
  private readonly trades: BacktestTrade[] = [];
  private readonly signals: BacktestSignal[] = [];
  // The entry firing policy's state, unpacked so a false bar needs no allocation; `decide` runs on true bars.
  private pBars = 0;
  private pFirings = 0;
  private pLastFired: number | null = null;
  private pLastValue = false;
  private holdCash = 0;
  private holdQty = 0;
  private readonly streamed = new StreamedValues();
  private readonly chunkValues = new ChunkValues();

  constructor(
    readonly options: ResolvedBacktest,
    capacity = 1024,
  ) {
    this.entryState = options.entry.createState();
    this.exitState = options.exit?.createState() ?? null;
    this.dir = options.side === 'long' ? 1 : -1;
    this.cash = options.initialCash;
    this.cashF = this.cash.toNumber();
    this.times = new Float64Array(capacity);
    this.equity = new Float64Array(capacity);
    this.hold = new Float64Array(capacity);
  }

  /** Feeds the next closed bar (strictly later than the previous one), evaluating the rules as they stream. */
  onBar(bar: RuleBar): void {
    const e = this.options.entry.onBar(this.entryState, bar);
    const x = this.exitState ? this.options.exit!.onBar(this.exitState, bar) : null;
    this.streamed.entry = e.values;
    this.streamed.exit = x?.values ?? {};
    this.advance(bar.t, bar.o, bar.c, e.value, x !== null && x.value, this.streamed);
  }

  /**
   * Feeds the chunk `chunks` holds now, with the rules' verdicts over it already evaluated (`chunkVerdicts`): the same
   * decisions as `onBar` bar by bar, without evaluating the rules one bar at a time.
   */
  onChunk(chunks: BarChunks, entry: ChunkVerdicts, exit: ChunkVerdicts | null): void {
    const reader = this.chunkValues;
    reader.entry = entry;
    reader.exit = exit;
    const ev = entry.value;
    const xv = exit?.value ?? null;
    const { t, o, c, length } = chunks;
    while (this.n + length > this.times.length) this.grow();
    const { times, equity, hold } = this;
    for (let j = 0; j < length; j++) {
      const e = ev[j] === 1;
      const x = xv !== null && xv[j] === 1;
      if (e || x || this.pending !== NONE || this.n === 0) {
        reader.j = j;
        this.advance(t[j]!, o[j]!, c[j]!, e, x, reader);
        continue;
      }
      // Nothing to fill and no rule true: what `advance` does then, without its branches.
      const i = this.n;
      this.pBars++;
      this.pLastValue = false;
      if (this.qty !== 0) this.inMarket++;
      times[i] = t[j]!;
      equity[i] = this.cashF + this.qty * c[j]!;
      hold[i] = this.holdCash + this.holdQty * c[j]!;
      this.n = i + 1;
    }
  }

  /** One bar (time, open, close) with the rules' verdicts at its close. */
  private advance(
    t: number,
    o: number,
    c: number,
    entry: boolean,
    exit: boolean,
    values: DecisionValues,
  ): void {
    const i = this.n;
    if (i === this.times.length) this.grow();
    if (i === 0) this.startBuyAndHold(o);
    if (this.pending !== NONE) this.fill(t, o, i);
    let fire = false;
    if (entry) {
      const state: FiringState = {
        bars: this.pBars,
        firings: this.pFirings,
        lastFiredBar: this.pLastFired,
        lastValue: this.pLastValue,
      };
      const d = this.options.entryPolicy.decide(state, true, t);
      fire = d.fire;
      this.pFirings = d.state.firings;
      this.pLastFired = d.state.lastFiredBar;
    }
    this.pBars++;
    this.pLastValue = entry;
    let entryValues: RuleValues | null = null;
    if (fire) {
      entryValues = values.entryValues();
      this.signals.push({ t, index: i, values: entryValues });
    }
    if (this.qty !== 0) {
      this.inMarket++;
      if (exit) this.decide(EXIT, t, values.exitValues());
    } else if (fire) this.decide(ENTER, t, entryValues!);
    this.times[i] = t;
    this.equity[i] = this.cashF + this.qty * c;
    this.hold[i] = this.holdCash + this.holdQty * c;
    this.n = i + 1;
  }

  /** The run so far; an open trade is marked at the last close but has no P&L. */
  result(): BacktestRun {
    if (this.open) this.open.bars = this.n - 1 - this.heldSince;
    return {
      options: this.options,
      bars: this.n,
      times: this.times.subarray(0, this.n),
      equity: this.equity.subarray(0, this.n),
      buyAndHold: this.hold.subarray(0, this.n),
      barsInMarket: this.inMarket,
      cash: this.cash,
      trades: this.trades,
      signals: this.signals,
      pendingAtEnd: this.pending === ENTER ? 'entry' : this.pending === EXIT ? 'exit' : null,
    };
  }

  private decide(kind: number, t: number, values: RuleValues): void {
    this.pending = kind;
    this.pendingAt = t;
    this.pendingValues = values;
  }

  private fill(t: number, o: number, i: number): void {
    const model = this.options.fillModel;
    const open = new Money(o);
    const zero = new Money(0);
    if (this.pending === ENTER) {
      const buy = this.dir === 1;
      const price = takerPrice(buy ? 'buy' : 'sell', open, model, null);
      const sizing = this.options.sizing;
      const qty =
        sizing.kind === 'qty'
          ? sizing.qty
          : this.cash.times(sizing.pct).dividedBy(100).dividedBy(price).toDecimalPlaces(0, Money.ROUND_DOWN);
      if (qty.gt(0)) {
        const commission = commissionFor(model.commission, zero, qty, zero);
        const notional = price.times(qty);
        this.cash = (buy ? this.cash.minus(notional) : this.cash.plus(notional)).minus(commission);
        this.cashF = this.cash.toNumber();
        this.qty = this.dir * qty.toNumber();
        this.heldSince = i;
        this.open = {
          side: this.options.side,
          qty,
          signalAt: this.pendingAt,
          entryAt: t,
          entryPrice: price,
          entryCommission: commission,
          entryValues: this.pendingValues,
          exitSignalAt: null,
          exitAt: null,
          exitPrice: null,
          exitCommission: zero,
          exitValues: null,
          pnl: null,
          returnPct: null,
          bars: 0,
        };
        this.trades.push(this.open);
      }
    } else if (this.open) {
      const trade = this.open;
      const price = takerPrice(this.dir === 1 ? 'sell' : 'buy', open, model, null);
      const commission = commissionFor(model.commission, zero, trade.qty, zero);
      const notional = price.times(trade.qty);
      this.cash = (this.dir === 1 ? this.cash.plus(notional) : this.cash.minus(notional)).minus(commission);
      this.cashF = this.cash.toNumber();
      this.qty = 0;
      const gross = price.minus(trade.entryPrice).times(trade.qty).times(this.dir);
      trade.exitSignalAt = this.pendingAt;
      trade.exitAt = t;
      trade.exitPrice = price;
      trade.exitCommission = commission;
      trade.exitValues = this.pendingValues;
      trade.pnl = gross.minus(trade.entryCommission).minus(commission);
      trade.returnPct = trade.pnl.dividedBy(trade.entryPrice.times(trade.qty)).toNumber();
      trade.bars = i - this.heldSince;
      this.open = null;
    }
    this.pending = NONE;
  }

  private startBuyAndHold(open: number): void {
    const model = this.options.fillModel;
    const zero = new Money(0);
    const price = takerPrice('buy', new Money(open), model, null);
    const qty = this.cash.dividedBy(price).toDecimalPlaces(0, Money.ROUND_DOWN);
    const commission = qty.gt(0) ? commissionFor(model.commission, zero, qty, zero) : zero;
    this.holdCash = this.cash.minus(price.times(qty)).minus(commission).toNumber();
    this.holdQty = qty.toNumber();
  }

  private grow(): void {
    const size = this.times.length * 2;
    const extend = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.times = extend(this.times);
    this.equity = extend(this.equity);
    this.hold = extend(this.hold);
  }
}
