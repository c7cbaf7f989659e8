import { BarBuilder, compareBars, isExtendedBucket, type Bar, type Trade } from './bar.js';
import { countsToward } from './aggregate.js';
import { bucketEnd, bucketStart, type Timeframe } from './timeframe.js';

type Forming = { builder: BarBuilder; end: number };

/** Streaming bar builder: feed trades in time order per symbol; agrees exactly with `aggregateTrades`. */
export class BarAggregator {
  private readonly forming = new Map<string, Forming>();

  constructor(readonly timeframe: Timeframe) {}

  /** Adds a trade; returns the bar of its symbol that this trade closed, if any. Late trades (before the forming bar) are ignored. */
  push(trade: Trade): Bar[] {
    if (!countsToward(trade.t, this.timeframe)) return [];
    const cur = this.forming.get(trade.symbol);
    if (cur && trade.t < cur.builder.t) return [];
    if (cur && trade.t < cur.end) {
      cur.builder.add(trade.price, trade.size);
      return [];
    }
    const start = bucketStart(trade.t, this.timeframe);
    const builder = new BarBuilder(trade.symbol, start, isExtendedBucket(start, this.timeframe));
    builder.add(trade.price, trade.size);
    this.forming.set(trade.symbol, { builder, end: bucketEnd(start, this.timeframe) });
    return cur ? [cur.builder.toBar()] : [];
  }

  /** Closes and returns (by start, then symbol) every forming bar whose bucket ended at or before `now`. */
  flush(now: number): Bar[] {
    const closed: Bar[] = [];
    for (const [symbol, f] of this.forming) {
      if (f.end <= now) {
        closed.push(f.builder.toBar());
        this.forming.delete(symbol);
      }
    }
    return closed.sort(compareBars);
  }

  /** The bar still forming for `symbol`, if any. */
  current(symbol: string): Bar | undefined {
    return this.forming.get(symbol)?.builder.toBar();
  }
}
