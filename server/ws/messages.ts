import type { StreamBar, StreamQuote, StreamTrade } from '../../contracts/stream.js';
import type { StreamTradeUpdate } from '../../contracts/trading.js';
import type { Bar, Quote, Trade } from '../../core/market-data/index.js';
import { type TradeUpdate, presentTradeUpdate } from '../../core/trading/index.js';

/** RFC 3339 in UTC with milliseconds, as Alpaca's stream sends it. */
export function wireTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A trade as Alpaca's `t` message. */
export function tradeMessage(trade: Trade): StreamTrade {
  return {
    T: 't',
    S: trade.symbol,
    i: trade.id,
    x: trade.exchange,
    p: trade.price,
    s: trade.size,
    c: trade.conditions,
    z: trade.tape,
    t: wireTime(trade.t),
  };
}

/** A quote as Alpaca's `q` message. */
export function quoteMessage(quote: Quote): StreamQuote {
  return {
    T: 'q',
    S: quote.symbol,
    bx: quote.bidExchange,
    bp: quote.bidPrice,
    bs: quote.bidSize,
    ax: quote.askExchange,
    ap: quote.askPrice,
    as: quote.askSize,
    c: quote.conditions,
    z: quote.tape,
    t: wireTime(quote.t),
  };
}

/** A closed (`b`) or forming (`u`) bar. */
export function barMessage(bar: Bar, type: 'b' | 'u'): StreamBar {
  return {
    T: type,
    S: bar.symbol,
    o: bar.o,
    h: bar.h,
    l: bar.l,
    c: bar.c,
    v: bar.v,
    n: bar.n,
    vw: bar.vw,
    t: wireTime(bar.t),
  };
}

/** An order event as Alpaca's trade update, flattened into a stream message. */
export function tradeUpdateMessage(update: TradeUpdate): StreamTradeUpdate {
  return { T: 'trade_update', ...(presentTradeUpdate(update) as Omit<StreamTradeUpdate, 'T'>) };
}
