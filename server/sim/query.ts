import { type Timeframe, bucketStart, parseTimeframe } from '../../core/market-data/index.js';
import { invalidParameter, unprocessable } from './alpaca-error.js';
import type { PageRequest } from './pagination.js';
import { instantParam } from './time.js';

/** A raw query string object as Fastify parses it. */
export type RawQuery = Record<string, string | string[] | undefined>;

const HISTORICAL_FEEDS = new Set(['iex', 'sip', 'otc', 'boats', 'delayed_sip']);
const LATEST_FEEDS = new Set(['iex', 'sip', 'otc', 'boats', 'delayed_sip', 'overnight']);
const ADJUSTMENTS = new Set(['raw', 'split', 'dividend', 'spin-off', 'all']);
const SYMBOL = /^[A-Za-z0-9.:/-]{1,24}$/;
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

/** One query parameter as text (the last one when repeated). */
export function param(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value.at(-1) : value;
}

/** The comma-separated `symbols` list, deduplicated in request order; 400 when missing or malformed. */
export function symbolsParam(query: RawQuery): string[] {
  const text = param(query, 'symbols');
  const symbols = [
    ...new Set(
      (text ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  if (symbols.length === 0) throw invalidParameter('missing symbols');
  for (const s of symbols) checkSymbol(s);
  return symbols;
}

/** Throws Alpaca's 400 for a malformed symbol. */
export function checkSymbol(symbol: string): string {
  if (!SYMBOL.test(symbol)) throw invalidParameter(`invalid symbol: ${symbol}`);
  return symbol;
}

/** Validates `feed` (and `currency`) of a latest/snapshot request. */
export function checkLatestParams(query: RawQuery): void {
  const feed = param(query, 'feed');
  if (feed !== undefined && !LATEST_FEEDS.has(feed)) throw invalidParameter(`invalid feed: ${feed}`);
  checkCurrency(query);
}

function checkCurrency(query: RawQuery): void {
  const currency = param(query, 'currency');
  if (currency !== undefined && currency !== 'USD')
    throw invalidParameter(`unsupported currency: ${currency}`);
}

/** The required `timeframe` of a bars request, in Alpaca's grammar. */
export function timeframeParam(query: RawQuery): { timeframe: Timeframe; text: string } {
  const text = param(query, 'timeframe');
  if (text === undefined || text === '') throw invalidParameter('missing timeframe');
  const timeframe = parseTimeframe(text);
  if (!timeframe) throw invalidParameter(`invalid timeframe: ${text}`);
  const adjustment = param(query, 'adjustment');
  for (const a of adjustment?.split(',') ?? [])
    if (!ADJUSTMENTS.has(a.trim())) throw invalidParameter(`invalid adjustment: ${adjustment}`);
  return { timeframe, text };
}

/**
 * A historical page request for `symbols` at `now`: start defaults to today's New York midnight,
 * end to now and never past it (end is inclusive, as Alpaca's is); limit 1..10000, default 1000.
 */
export function pageRequest(query: RawQuery, symbols: string[], kind: string, now: number): PageRequest {
  const startText = param(query, 'start');
  const endText = param(query, 'end');
  const start = instantParam('start', startText) ?? bucketStart(now, { amount: 1, unit: 'Day' });
  const end = instantParam('end', endText) ?? now;
  if (end < start) throw unprocessable('end should not be before start');
  const limitText = param(query, 'limit');
  const limit = limitText === undefined || limitText === '' ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalidParameter(`invalid limit: must be between 1 and ${MAX_LIMIT}`);
  const sort = param(query, 'sort') ?? 'asc';
  if (sort !== 'asc' && sort !== 'desc') throw invalidParameter(`invalid sort: ${sort}`);
  const feed = param(query, 'feed');
  if (feed !== undefined && !HISTORICAL_FEEDS.has(feed)) throw invalidParameter(`invalid feed: ${feed}`);
  checkCurrency(query);
  return {
    symbols,
    start,
    end: Math.min(end, now) + 1,
    limit,
    sort,
    queryKey: [kind, symbols.join(','), startText ?? '', endText ?? '', sort].join('|'),
    pageToken: param(query, 'page_token') || undefined,
  };
}
