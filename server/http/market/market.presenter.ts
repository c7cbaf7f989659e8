import type { Asset, WireBar, WireQuote, WireTrade } from '../../../contracts/market.js';
import type { Bar, Instrument, Quote, SessionDay, Trade } from '../../../core/market-data/index.js';
import { formatNyIso } from '../../../core/market-data/index.js';

/** A bar with Alpaca's field names. */
export function presentBar(bar: Bar): WireBar {
  return {
    t: new Date(bar.t).toISOString().replace('.000Z', 'Z'),
    o: bar.o,
    h: bar.h,
    l: bar.l,
    c: bar.c,
    v: bar.v,
    n: bar.n,
    vw: bar.vw,
  };
}

/** An instrument as Alpaca's asset, marked simulated. */
export function presentAsset(instrument: Instrument): Asset {
  return {
    id: `sim-${instrument.symbol.toLowerCase()}`,
    symbol: instrument.symbol,
    name: instrument.name,
    exchange: instrument.exchange,
    class: 'us_equity',
    status: 'active',
    tradable: true,
    fractionable: instrument.fractionable,
    sector: instrument.sector,
    simulated: instrument.simulated,
  };
}

/** A trading day as Alpaca's calendar entry (times in New York). */
export function presentCalendarDay(day: SessionDay): {
  date: string;
  open: string;
  close: string;
  session_open: string;
  session_close: string;
} {
  const hhmm = (t: number) => formatNyIso(t).slice(11, 16);
  return {
    date: day.date,
    open: hhmm(day.open),
    close: hhmm(day.close),
    session_open: hhmm(day.preOpen).replace(':', ''),
    session_close: hhmm(day.postClose).replace(':', ''),
  };
}

/** A trade with Alpaca's field names. */
export function presentTrade(trade: Trade): WireTrade {
  return {
    t: new Date(trade.t).toISOString(),
    x: trade.exchange,
    p: trade.price,
    s: trade.size,
    c: trade.conditions,
    i: trade.id,
    z: trade.tape,
  };
}

/** A quote with Alpaca's field names. */
export function presentQuote(quote: Quote): WireQuote {
  return {
    t: new Date(quote.t).toISOString(),
    ax: quote.askExchange,
    ap: quote.askPrice,
    as: quote.askSize,
    bx: quote.bidExchange,
    bp: quote.bidPrice,
    bs: quote.bidSize,
    c: quote.conditions,
    z: quote.tape,
  };
}
