import crypto from 'node:crypto';
import {
  type Bar,
  type Instrument,
  type Quote,
  type SessionDay,
  type Trade,
  nyOffset,
} from '../../core/market-data/index.js';
import { rfc3339 } from './time.js';

/** Alpaca's bar record (`t` RFC 3339 on REST; a Date for msgpack streams, encoded as the timestamp extension). */
export type AlpacaBar = {
  t: string | Date;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
};
/** Alpaca's trade record. */
export type AlpacaTrade = {
  t: string | Date;
  x: string;
  p: number;
  s: number;
  c: string[];
  i: number;
  z: string;
};
/** Alpaca's quote record. */
export type AlpacaQuote = {
  t: string | Date;
  ax: string;
  ap: number;
  as: number;
  bx: string;
  bp: number;
  bs: number;
  c: string[];
  z: string;
};

/** How a record's `t` is written: RFC 3339 text (JSON) or a Date (msgpack timestamp extension). */
export type TimeWriter = (t: number) => string | Date;

/** Writes `t` as RFC 3339 text, as the REST API and JSON streams do. */
export const textTime: TimeWriter = rfc3339;

/** A bar in Alpaca's short-key shape. */
export function presentBar(b: Bar, time: TimeWriter = textTime): AlpacaBar {
  return { t: time(b.t), o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, n: b.n, vw: b.vw };
}

/** A trade in Alpaca's short-key shape. */
export function presentTrade(tr: Trade, time: TimeWriter = textTime): AlpacaTrade {
  return { t: time(tr.t), x: tr.exchange, p: tr.price, s: tr.size, c: tr.conditions, i: tr.id, z: tr.tape };
}

/** A quote in Alpaca's short-key shape (sizes in shares, as the v2 API reports them). */
export function presentQuote(q: Quote, time: TimeWriter = textTime): AlpacaQuote {
  return {
    t: time(q.t),
    ax: q.askExchange,
    ap: q.askPrice,
    as: q.askSize,
    bx: q.bidExchange,
    bp: q.bidPrice,
    bs: q.bidSize,
    c: q.conditions,
    z: q.tape,
  };
}

/** A stable UUID-shaped asset id for a symbol, so ids survive restarts and seeds. */
export function assetId(symbol: string): string {
  const h = crypto.createHash('sha256').update(`pulse-sim-asset:${symbol}`).digest('hex');
  const variant = ((Number.parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Alpaca's Asset object for a simulated instrument. */
export function presentAsset(i: Instrument) {
  return {
    id: assetId(i.symbol),
    class: 'us_equity',
    exchange: i.exchange,
    symbol: i.symbol,
    name: i.name,
    status: 'active',
    tradable: true,
    marginable: true,
    maintenance_margin_requirement: 30,
    margin_requirement_long: '50',
    margin_requirement_short: '50',
    shortable: true,
    easy_to_borrow: true,
    fractionable: i.fractionable,
    attributes: [] as string[],
  };
}

function wall(t: number, withColon: boolean): string {
  const hhmm = new Date(t + nyOffset(t)).toISOString().slice(11, 16);
  return withColon ? hhmm : hhmm.replace(':', '');
}

/** Alpaca's `/v2/calendar` row: `open`/`close` as HH:MM, `session_*` as HHMM, New York time. */
export function presentCalendarDay(s: SessionDay, settlementDate: string) {
  return {
    date: s.date,
    open: wall(s.open, true),
    close: wall(s.close, true),
    session_open: wall(s.preOpen, false),
    session_close: wall(s.postClose, false),
    settlement_date: settlementDate,
  };
}
