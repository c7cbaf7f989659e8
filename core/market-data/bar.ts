import { sessionOnDay } from './calendar.js';
import { exchangeDay } from './ny-time.js';
import { bucketEnd, isIntraday, type Timeframe } from './timeframe.js';

/** A trade print (Alpaca fields: t, p → price, s → size, i → id, x → exchange, c → conditions, z → tape). */
export type Trade = {
  symbol: string;
  t: number;
  price: number;
  size: number;
  id: number;
  exchange: string;
  conditions: string[];
  tape: string;
};

/** The NBBO quote (Alpaca fields bp/bs/ap/as/bx/ax/c/z). */
export type Quote = {
  symbol: string;
  t: number;
  bidPrice: number;
  bidSize: number;
  askPrice: number;
  askSize: number;
  bidExchange: string;
  askExchange: string;
  conditions: string[];
  tape: string;
};

/** An OHLCV bar; `t` is the bucket start and `extended` marks a bar not wholly inside regular hours. */
export type Bar = {
  symbol: string;
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
  extended: boolean;
};

/** True when the intraday bucket starting at `start` is not wholly inside a regular session (always false for Day+). */
export function isExtendedBucket(start: number, tf: Timeframe): boolean {
  if (!isIntraday(tf)) return false;
  const s = sessionOnDay(exchangeDay(start));
  return !s || start < s.open || bucketEnd(start, tf) > s.close;
}

/** Rounds a VWAP to 4 decimals, as every bar builder in Pulse does. */
export function roundVwap(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Accumulates trades in arrival order into one bar; the single arithmetic shared by batch, streaming and simulator. */
export class BarBuilder {
  private o = 0;
  private h = 0;
  private l = 0;
  private c = 0;
  private v = 0;
  private n = 0;
  private pv = 0;

  constructor(
    readonly symbol: string,
    readonly t: number,
    readonly extended: boolean,
  ) {}

  /** Adds one trade. */
  add(price: number, size: number): void {
    if (this.n === 0) {
      this.o = price;
      this.h = price;
      this.l = price;
    } else {
      if (price > this.h) this.h = price;
      if (price < this.l) this.l = price;
    }
    this.c = price;
    this.v += size;
    this.n += 1;
    this.pv += price * size;
  }

  /** The bar so far. */
  toBar(): Bar {
    const { symbol, t, o, h, l, c, v, n, extended } = this;
    return { symbol, t, o, h, l, c, v, n, vw: v > 0 ? roundVwap(this.pv / v) : c, extended };
  }
}

/** Orders bars by start time, then symbol. */
export function compareBars(a: Bar, b: Bar): number {
  return a.t - b.t || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);
}
