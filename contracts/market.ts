import { z } from 'zod';

/** A bar on the wire, with Alpaca's field names (t is RFC 3339). */
export const WireBar = z.object({
  t: z.string(),
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number(),
  n: z.number(),
  vw: z.number(),
});
export type WireBar = z.infer<typeof WireBar>;

export const Ticker = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9.]{0,9}$/, 'a ticker symbol such as AAPL');

export const BarsQuery = z.object({
  symbols: z.string().min(1).max(2000),
  timeframe: z.string().min(2).max(10),
  start: z.string().optional(),
  end: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(10000).default(1000),
  page_token: z.string().max(512).optional(),
  sort: z.enum(['asc', 'desc']).default('asc'),
});
export type BarsQuery = z.infer<typeof BarsQuery>;

export const BarsResponse = z.object({
  bars: z.record(z.string(), z.array(WireBar)),
  next_page_token: z.string().nullable(),
  source: z.enum(['sim', 'iex', 'sip', 'delayed_sip']),
});
export type BarsResponse = z.infer<typeof BarsResponse>;

export const Asset = z.object({
  id: z.string(),
  symbol: z.string(),
  name: z.string(),
  exchange: z.string(),
  class: z.literal('us_equity'),
  status: z.literal('active'),
  tradable: z.boolean(),
  fractionable: z.boolean(),
  sector: z.string(),
  simulated: z.boolean(),
});
export type Asset = z.infer<typeof Asset>;

export const MarketClock = z.object({
  timestamp: z.string(),
  is_open: z.boolean(),
  next_open: z.string(),
  next_close: z.string(),
});
export type MarketClock = z.infer<typeof MarketClock>;

/** A trade with Alpaca's field names. */
export const WireTrade = z.object({
  t: z.string(),
  x: z.string(),
  p: z.number(),
  s: z.number(),
  c: z.array(z.string()),
  i: z.number(),
  z: z.string(),
});
export type WireTrade = z.infer<typeof WireTrade>;

/** A quote with Alpaca's field names. */
export const WireQuote = z.object({
  t: z.string(),
  ax: z.string(),
  ap: z.number(),
  as: z.number(),
  bx: z.string(),
  bp: z.number(),
  bs: z.number(),
  c: z.array(z.string()),
  z: z.string(),
});
export type WireQuote = z.infer<typeof WireQuote>;

/** Alpaca's snapshot: what a quote table needs for one symbol. */
export const Snapshot = z.object({
  latestTrade: WireTrade.nullable(),
  latestQuote: WireQuote.nullable(),
  minuteBar: WireBar.nullable(),
  dailyBar: WireBar.nullable(),
  prevDailyBar: WireBar.nullable(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const SnapshotsResponse = z.object({
  snapshots: z.record(z.string(), Snapshot),
  source: z.enum(['sim', 'iex', 'sip', 'delayed_sip']),
});
export type SnapshotsResponse = z.infer<typeof SnapshotsResponse>;
