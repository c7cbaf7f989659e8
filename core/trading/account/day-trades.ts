import { exchangeDay, sessionOnDay } from '../../market-data/index.js';

/** FINRA's pattern-day-trader threshold: this many day trades within five trading days. */
export const PDT_DAY_TRADES = 4;

/**
 * Counts day trades (opening then closing exposure in one symbol on one trading day): one per closing fill
 * that follows an opening fill that day, so buy-buy-sell is one and buy-sell-buy-sell is two.
 */
export class DayTradeCounter {
  private readonly openedOn = new Map<string, number>();
  private readonly perDay = new Map<number, number>();

  /** Records a fill at `t` that opened and/or closed exposure in `symbol`. */
  record(symbol: string, t: number, change: { opened: boolean; closed: boolean }): void {
    const day = exchangeDay(t);
    if (change.closed && this.openedOn.get(symbol) === day) {
      this.perDay.set(day, (this.perDay.get(day) ?? 0) + 1);
      this.openedOn.delete(symbol);
    }
    if (change.opened) this.openedOn.set(symbol, day);
  }

  /** True when closing exposure in `symbol` at `t` would count as a day trade. */
  wouldDayTrade(symbol: string, t: number): boolean {
    return this.openedOn.get(symbol) === exchangeDay(t);
  }

  /** Day trades over the five most recent trading days up to and including the day of `t`. */
  countAt(t: number): number {
    let total = 0;
    let sessions = 0;
    for (let day = exchangeDay(t); sessions < 5 && day > exchangeDay(t) - 20; day--) {
      if (!sessionOnDay(day)) continue;
      sessions++;
      total += this.perDay.get(day) ?? 0;
    }
    return total;
  }
}
