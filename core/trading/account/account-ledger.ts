import { Money } from '../../kernel/index.js';
import { exchangeDate } from '../../market-data/index.js';
import type { Fill } from '../matching/fill.js';
import { DayTradeCounter, PDT_DAY_TRADES } from './day-trades.js';
import { type Position, applyFill, flatPosition } from './position.js';

/** Cash accounts may not short or borrow; margin accounts get 2× Reg-T overnight buying power. */
export type AccountKind = 'cash' | 'margin';

/** Equity below which a pattern day trader is restricted. */
export const PDT_MIN_EQUITY = new Money(25_000);

/** A position valued at a mark price, as Alpaca's position object reports it. */
export interface PositionSnapshot extends Position {
  readonly side: 'long' | 'short';
  readonly currentPrice: Money;
  readonly marketValue: Money;
  readonly costBasis: Money;
  readonly unrealizedPl: Money;
}

/** The account at an instant, as Alpaca's account object reports it (money as exact decimals). */
export interface AccountSnapshot {
  readonly kind: AccountKind;
  readonly cash: Money;
  readonly equity: Money;
  readonly lastEquity: Money;
  readonly buyingPower: Money;
  readonly multiplier: 1 | 2;
  readonly longMarketValue: Money;
  readonly shortMarketValue: Money;
  readonly realizedPl: Money;
  readonly unrealizedPl: Money;
  readonly fees: Money;
  readonly daytradeCount: number;
  /** 4+ day trades within the last five trading days. */
  readonly patternDayTrader: boolean;
  /** A pattern day trader below $25,000 equity: further day trades are refused. */
  readonly pdtRestricted: boolean;
  readonly shortingEnabled: boolean;
}

/**
 * The snapshot as a broker reports it while buy orders work: buying power net of what they hold, never below
 * zero (Alpaca lowers `buying_power` as soon as an order is accepted, not when it fills).
 */
export function netOfHeldBuyingPower(snapshot: AccountSnapshot, held: Money): AccountSnapshot {
  if (held.isZero()) return snapshot;
  return { ...snapshot, buyingPower: Money.max(0, snapshot.buyingPower.minus(held)) };
}

/** A mark price per symbol (null when none is known; the entry price is used then). */
export type Marks = (symbol: string) => Money | null;

/** Cash, positions, realised P&L, fees and day trades of one account, changed only by fills. */
export class AccountLedger {
  private cashBalance: Money;
  private readonly held = new Map<string, Position>();
  private realized = new Money(0);
  private feesPaid = new Money(0);
  private lastEquity: Money;
  private day: string | null = null;
  readonly dayTrades = new DayTradeCounter();

  constructor(
    readonly kind: AccountKind,
    startingCash: Money,
  ) {
    this.cashBalance = startingCash;
    this.lastEquity = startingCash;
  }

  /** The position in `symbol` (flat when none). */
  position(symbol: string): Position {
    return this.held.get(symbol) ?? flatPosition(symbol);
  }

  /** Applies a fill: cash moves by qty × price and the commission; the position and realised P&L follow. */
  apply(fill: Fill): void {
    const gross = fill.qty.times(fill.price);
    this.cashBalance = (
      fill.side === 'buy' ? this.cashBalance.minus(gross) : this.cashBalance.plus(gross)
    ).minus(fill.commission);
    this.feesPaid = this.feesPaid.plus(fill.commission);
    const change = applyFill(this.position(fill.symbol), fill.side, fill.qty, fill.price);
    this.realized = this.realized.plus(change.realized);
    if (change.position.qty.isZero()) this.held.delete(fill.symbol);
    else this.held.set(fill.symbol, change.position);
    this.dayTrades.record(fill.symbol, fill.t, change);
  }

  /** Starts a new trading day's P&L at the first event of each exchange date (`lastEquity` = equity then). */
  rollDay(t: number, marks: Marks): void {
    const date = exchangeDate(t);
    if (date === this.day) return;
    if (this.day !== null) this.lastEquity = this.snapshot(t, marks).equity;
    this.day = date;
  }

  /** Open positions valued at `marks`. */
  positions(marks: Marks): PositionSnapshot[] {
    return [...this.held.values()].map((p) => {
      const currentPrice = marks(p.symbol) ?? p.avgEntryPrice;
      const marketValue = p.qty.times(currentPrice);
      const costBasis = p.qty.times(p.avgEntryPrice);
      return {
        ...p,
        side: p.qty.isNegative() ? 'short' : 'long',
        currentPrice,
        marketValue,
        costBasis,
        unrealizedPl: marketValue.minus(costBasis),
      };
    });
  }

  /** The account valued at `marks` at instant `t` (for the day-trade window). */
  snapshot(t: number, marks: Marks): AccountSnapshot {
    let long = new Money(0);
    let short = new Money(0);
    let unrealized = new Money(0);
    for (const p of this.positions(marks)) {
      if (p.side === 'long') long = long.plus(p.marketValue);
      else short = short.plus(p.marketValue);
      unrealized = unrealized.plus(p.unrealizedPl);
    }
    const equity = this.cashBalance.plus(long).plus(short);
    const margin = this.kind === 'margin';
    // Reg T: twice the equity in excess of the 50 % initial margin on what is held.
    const regT = Money.max(0, equity.times(2).minus(long.minus(short)));
    const count = this.dayTrades.countAt(t);
    const pdt = count >= PDT_DAY_TRADES;
    return {
      kind: this.kind,
      cash: this.cashBalance,
      equity,
      lastEquity: this.lastEquity,
      buyingPower: margin ? regT : Money.max(0, this.cashBalance),
      multiplier: margin ? 2 : 1,
      longMarketValue: long,
      shortMarketValue: short,
      realizedPl: this.realized,
      unrealizedPl: unrealized,
      fees: this.feesPaid,
      daytradeCount: count,
      patternDayTrader: pdt,
      pdtRestricted: pdt && equity.lt(PDT_MIN_EQUITY),
      shortingEnabled: margin,
    };
  }
}
