import { z } from 'zod';
import { Ticker } from './market.js';

const Symbols = z
  .array(z.union([Ticker, z.literal('*')]))
  .max(500)
  .default([]);

/** Messages a client sends on /api/v1/stream. */
export const ClientMessage = z.discriminatedUnion('action', [
  z.object({ action: z.literal('subscribe'), trades: Symbols, quotes: Symbols, bars: Symbols }),
  z.object({ action: z.literal('unsubscribe'), trades: Symbols, quotes: Symbols, bars: Symbols }),
  z.object({ action: z.literal('ping'), id: z.number().int().optional() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** A trade (Alpaca's `t` message). */
export interface StreamTrade {
  T: 't';
  S: string;
  i: number;
  x: string;
  p: number;
  s: number;
  c: string[];
  z: string;
  t: string;
}
/** A quote (Alpaca's `q` message); conflated to the latest per symbol for slow clients. */
export interface StreamQuote {
  T: 'q';
  S: string;
  bx: string;
  bp: number;
  bs: number;
  ax: string;
  ap: number;
  as: number;
  c: string[];
  z: string;
  t: string;
}
/** A closed 1Min bar (`b`) or the forming bar so far (`u`, Alpaca's updated bar). */
export interface StreamBar {
  T: 'b' | 'u';
  S: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
  t: string;
}
/** Control messages. */
export type StreamControl =
  | { T: 'success'; msg: 'connected' | 'authenticated'; source: 'sim' | 'iex' | 'sip' | 'delayed_sip' }
  | { T: 'subscription'; trades: string[]; quotes: string[]; bars: string[] }
  | { T: 'error'; code: string; msg: string }
  | { T: 'resync'; reason: 'slow_consumer'; since: string }
  | { T: 'pong'; id?: number; t: string };

/** Every server → client message; the server sends a JSON array of these per frame. */
export type ServerMessage = StreamTrade | StreamQuote | StreamBar | StreamControl;
