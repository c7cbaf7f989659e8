import type { StreamBar, StreamQuote, StreamTrade } from '../../contracts/stream.js';
import type { StreamTradeUpdate } from '../../contracts/trading.js';
import type { Bar, Quote, Trade } from '../../core/market-data/index.js';
import { type TradeUpdate, presentTradeUpdate } from '../../core/trading/index.js';

/** Years 0000–9999, where `toISOString` has its fixed 24-character shape. */
const LAST_FIXED_MS = 253_402_300_800_000;
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * RFC 3339 in UTC with milliseconds, as Alpaca's stream sends it (exactly `new Date(ms).toISOString()`). The stream
 * stamps tens of thousands of messages a second, nearly all within the same second: its prefix is formatted once.
 */
export function wireTime(ms: number): string {
  if (!(ms >= 0 && ms < LAST_FIXED_MS)) return new Date(ms).toISOString();
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const milli = whole - second * 1000;
  return `${cachedPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
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
