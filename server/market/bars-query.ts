import crypto from 'node:crypto';
import {
  type Bar,
  type BarHistory,
  isIntraday,
  intradayMs,
  type Timeframe,
} from '../../core/market-data/index.js';
import { AppError } from '../errors.js';

const DAY = 86_400_000;
const MAX_LOOKBACK = 15 * 365 * DAY;

/** A parsed bars request: symbols, timeframe and window [start, end) in ms. */
export interface BarsRequest {
  symbols: string[];
  timeframe: Timeframe;
  timeframeText: string;
  start: number | undefined;
  end: number | undefined;
  limit: number;
  pageToken: string | undefined;
  sort: 'asc' | 'desc';
}

/** A page of bars per symbol and the token of the next page. */
export interface BarsPage {
  bars: Record<string, Bar[]>;
  nextPageToken: string | null;
}

interface Cursor {
  q: string;
  S: string;
  t: number;
}

function queryKey(request: BarsRequest): string {
  const key = [
    request.symbols.join(','),
    request.timeframeText,
    request.start,
    request.end,
    request.sort,
  ].join('|');
  return crypto.createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(token: string, request: BarsRequest): Cursor {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      value.q === queryKey(request) &&
      typeof value.S === 'string' &&
      request.symbols.includes(value.S) &&
      typeof value.t === 'number' &&
      Number.isFinite(value.t)
    ) {
      return { q: value.q, S: value.S, t: value.t };
    }
  } catch {
    // fall through
  }
  throw new AppError(
    'MARKET_INVALID_PAGE_TOKEN',
    'page_token does not belong to this query; repeat the query without it.',
  );
}

/** A span of time likely to hold `count` bars of the timeframe, to fetch history in chunks. */
function spanFor(timeframe: Timeframe, count: number): number {
  // 16 h of trading a day for intraday bars; ~1.45 calendar days per trading day otherwise.
  if (isIntraday(timeframe)) return Math.ceil((count * intradayMs(timeframe)) / (16 * 3_600_000)) * DAY + DAY;
  const perBar = timeframe.unit === 'Day' ? 1.45 : timeframe.unit === 'Week' ? 7 : 31;
  return Math.ceil(count * perBar * timeframe.amount) * DAY + 4 * DAY;
}

/** Up to `limit` bars of one symbol from `from` forward (ascending), fetched in growing chunks. */
async function forward(
  history: BarHistory,
  symbol: string,
  request: BarsRequest,
  from: number,
  end: number,
  limit: number,
) {
  const out: Bar[] = [];
  let cursor = from;
  let span = spanFor(request.timeframe, limit + 1);
  while (out.length <= limit && cursor < end) {
    const to = Math.min(end, cursor + span);
    for (const bar of await history.bars(symbol, request.timeframe, cursor, to)) out.push(bar);
    cursor = to;
    span *= 2;
  }
  return out;
}

/** The latest `limit` bars of one symbol before `end`, ascending (used when no start is given). */
async function latest(
  history: BarHistory,
  symbol: string,
  request: BarsRequest,
  end: number,
): Promise<Bar[]> {
  let span = spanFor(request.timeframe, request.limit);
  for (;;) {
    const start = end - span;
    const bars = await history.bars(symbol, request.timeframe, start, end);
    if (bars.length >= request.limit || span >= MAX_LOOKBACK) return bars.slice(-request.limit);
    span *= 2;
  }
}

/**
 * Reads a page of bars in Alpaca's order (symbol by symbol, time ascending) with opaque page tokens.
 * With no `start`, returns the latest `limit` bars before `end` per symbol, which is what a chart needs.
 */
export async function readBars(request: BarsRequest, history: BarHistory): Promise<BarsPage> {
  const end = Math.min(request.end ?? Number.POSITIVE_INFINITY, history.now() + 1);
  const bars: Record<string, Bar[]> = {};
  if (request.start === undefined) {
    for (const symbol of request.symbols) {
      const list = await latest(history, symbol, request, end);
      bars[symbol] = request.sort === 'desc' ? list.reverse() : list;
    }
    return { bars, nextPageToken: null };
  }
  const cursor = request.pageToken ? decodeCursor(request.pageToken, request) : undefined;
  let remaining = request.limit;
  const firstIndex = cursor ? request.symbols.indexOf(cursor.S) : 0;
  for (let i = firstIndex; i < request.symbols.length; i += 1) {
    const symbol = request.symbols[i] as string;
    const from = cursor && i === firstIndex ? cursor.t : request.start;
    const list = await forward(history, symbol, request, from, end, remaining);
    if (list.length > remaining) {
      bars[symbol] = list.slice(0, remaining);
      const next = list[remaining] as Bar;
      return { bars, nextPageToken: encodeCursor({ q: queryKey(request), S: symbol, t: next.t }) };
    }
    bars[symbol] = list;
    remaining -= list.length;
    if (remaining === 0) {
      const nextSymbol = request.symbols[i + 1];
      const more = nextSymbol !== undefined;
      return {
        bars,
        nextPageToken: more ? encodeCursor({ q: queryKey(request), S: nextSymbol, t: request.start }) : null,
      };
    }
  }
  return { bars, nextPageToken: null };
}
