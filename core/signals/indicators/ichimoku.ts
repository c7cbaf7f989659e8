import { ColumnBar } from './columns.js';
import { RollingExtreme, Ring } from './rolling.js';
import { checkPeriod, type Column, type HlcBar } from './types.js';

/** The five Ichimoku lines, as of the current bar. */
export interface IchimokuValue {
  readonly tenkan: number;
  readonly kijun: number;
  readonly senkouA: number;
  readonly senkouB: number;
  readonly chikou: number;
}

/** A midpoint (highest high + lowest low)/2 over a window of bars, with its own warm-up. */
class Midpoint {
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private count = 0;
  constructor(private readonly period: number) {
    this.highest = new RollingExtreme(period, true);
    this.lowest = new RollingExtreme(period, false);
  }
  next(high: number, low: number): number {
    const mid = (this.highest.push(high) + this.lowest.push(low)) / 2;
    return ++this.count < this.period ? NaN : mid;
  }
}

/**
 * Ichimoku Kinko Hyo (not in TA-Lib). tenkan/kijun = midpoint of the last 9/26 bars. Displacement convention
 * (no look-ahead, so a live run and a backtest agree): every line is reported at the bar it is *plotted* on when
 * that needs no future data — senkouA/senkouB at bar t are the cloud drawn at t, i.e. (tenkan+kijun)/2 and the
 * 52-bar midpoint computed `displacement` bars earlier; chikou at bar t is close[t], which charts draw
 * `displacement` bars to the left (never written into the past here). Lookback: senkou B's, 52 − 1 + 26 = 77.
 */
export class Ichimoku implements IchimokuValue {
  readonly lookback: number;
  tenkan = NaN;
  kijun = NaN;
  senkouA = NaN;
  senkouB = NaN;
  chikou = NaN;
  private readonly tenkanMid: Midpoint;
  private readonly kijunMid: Midpoint;
  private readonly senkouMid: Midpoint;
  private readonly spanA: Ring;
  private readonly spanB: Ring;
  private count = 0;

  constructor(
    tenkan = 9,
    kijun = 26,
    senkouB = 52,
    readonly displacement = 26,
  ) {
    this.tenkanMid = new Midpoint(checkPeriod('tenkan', tenkan, 1));
    this.kijunMid = new Midpoint(checkPeriod('kijun', kijun, 1));
    this.senkouMid = new Midpoint(checkPeriod('senkouB', senkouB, 1));
    checkPeriod('displacement', displacement, 1);
    this.spanA = new Ring(displacement);
    this.spanB = new Ring(displacement);
    this.lookback = Math.max(tenkan, kijun, senkouB) - 1 + displacement;
  }

  /** Feeds one bar; returns true once every line exists (tenkan and kijun exist earlier). */
  next(bar: HlcBar): boolean {
    const { high, low } = bar;
    this.tenkan = this.tenkanMid.next(high, low);
    this.kijun = this.kijunMid.next(high, low);
    this.chikou = bar.close;
    const filled = this.count >= this.displacement;
    const a = this.spanA.push((this.tenkan + this.kijun) / 2);
    const b = this.spanB.push(this.senkouMid.next(high, low));
    this.count++;
    this.senkouA = filled ? a : NaN;
    this.senkouB = filled ? b : NaN;
    return this.count > this.lookback;
  }

  /** Feeds one bar; returns the lines (this object, updated in place) or null until all exist. */
  update(bar: HlcBar): IchimokuValue | null {
    return this.next(bar) ? this : null;
  }
}

/** Batch Ichimoku over HLC columns; each line NaN until it exists. */
export function ichimoku(
  high: Column,
  low: Column,
  close: Column,
  tenkan = 9,
  kijun = 26,
  senkouB = 52,
  displacement = 26,
): Record<keyof IchimokuValue, Float64Array> {
  const ich = new Ichimoku(tenkan, kijun, senkouB, displacement);
  const bars = new ColumnBar(high, low, close);
  const n = close.length;
  const out = {
    tenkan: new Float64Array(n),
    kijun: new Float64Array(n),
    senkouA: new Float64Array(n),
    senkouB: new Float64Array(n),
    chikou: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    ich.next(bars.at(i));
    out.tenkan[i] = ich.tenkan;
    out.kijun[i] = ich.kijun;
    out.senkouA[i] = ich.senkouA;
    out.senkouB[i] = ich.senkouB;
    out.chikou[i] = ich.chikou;
  }
  return out;
}
