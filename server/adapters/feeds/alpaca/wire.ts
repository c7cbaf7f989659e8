import { z } from 'zod';
import type { Bar, Quote, Trade } from '../../../../core/market-data/index.js';

/** Alpaca's bar (REST and stream). */
export const AlpacaBar = z.object({
  t: z.string(),
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number(),
  n: z.number().default(0),
  vw: z.number().default(0),
});

/** Alpaca's trade (REST and stream). */
export const AlpacaTrade = z.object({
  t: z.string(),
  p: z.number(),
  s: z.number(),
  i: z.number(),
  x: z.string().default(''),
  c: z.array(z.string()).default([]),
  z: z.string().default(''),
});

/** Alpaca's quote (REST and stream). */
export const AlpacaQuote = z.object({
  t: z.string(),
  bp: z.number(),
  bs: z.number(),
  ap: z.number(),
  as: z.number(),
  bx: z.string().default(''),
  ax: z.string().default(''),
  c: z.array(z.string()).default([]),
  z: z.string().default(''),
});

/** One message of the market data stream. */
export const StreamMessage = z.discriminatedUnion('T', [
  AlpacaTrade.extend({ T: z.literal('t'), S: z.string() }),
  AlpacaQuote.extend({ T: z.literal('q'), S: z.string() }),
  AlpacaBar.extend({ T: z.enum(['b', 'u', 'd']), S: z.string() }),
  z.object({ T: z.literal('success'), msg: z.string() }),
  z.object({ T: z.literal('error'), code: z.number(), msg: z.string() }),
  z.object({ T: z.literal('subscription') }).loose(),
]);
export type StreamMessage = z.infer<typeof StreamMessage>;

function ms(t: string): number {
  const value = Date.parse(t);
  if (!Number.isFinite(value)) throw new Error(`bad time ${t}`);
  return value;
}

/** Alpaca's trade → core Trade. */
export function toTrade(symbol: string, w: z.infer<typeof AlpacaTrade>): Trade {
  return { symbol, t: ms(w.t), price: w.p, size: w.s, id: w.i, exchange: w.x, conditions: w.c, tape: w.z };
}

/** Alpaca's quote → core Quote. */
export function toQuote(symbol: string, w: z.infer<typeof AlpacaQuote>): Quote {
  return {
    symbol,
    t: ms(w.t),
    bidPrice: w.bp,
    bidSize: w.bs,
    askPrice: w.ap,
    askSize: w.as,
    bidExchange: w.bx,
    askExchange: w.ax,
    conditions: w.c,
    tape: w.z,
  };
}

/** Alpaca's bar → core Bar (`extended` is decided by the caller's calendar). */
export function toBar(symbol: string, w: z.infer<typeof AlpacaBar>, extended: boolean): Bar {
  return { symbol, t: ms(w.t), o: w.o, h: w.h, l: w.l, c: w.c, v: w.v, n: w.n, vw: w.vw, extended };
}
