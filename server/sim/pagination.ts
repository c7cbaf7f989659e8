import crypto from 'node:crypto';
import { invalidParameter } from './alpaca-error.js';

/** A time-ordered series per symbol that a page is read from. */
export interface Series<T> {
  /** Items of `symbol` with time in [from, to), ascending by (time, order). */
  fetch(symbol: string, from: number, to: number): T[];
  time(item: T): number;
  /** Tie-break among items with the same time (trade id; 0 when times are unique). */
  order(item: T): number;
  /** First window to read, in ms; windows double until the page is full. */
  span: number;
}

/** What a page covers: symbols in request order, times in [start, end), at most `limit` items across symbols. */
export interface PageRequest {
  symbols: readonly string[];
  start: number;
  end: number;
  limit: number;
  sort: 'asc' | 'desc';
  /** Identity of the query (everything but limit and page_token): a token only fits its own query. */
  queryKey: string;
  pageToken: string | undefined;
}

/** One page: items per symbol (in request order) and the opaque token of the next page, or null. */
export interface Page<T> {
  items: Map<string, T[]>;
  nextPageToken: string | null;
}

type Cursor = { q: string; s: number; t: number; k: number };

function hashKey(queryKey: string): string {
  return crypto.createHash('sha256').update(queryKey).digest('base64url').slice(0, 12);
}

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(token: string, request: PageRequest): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    const valid =
      c.q === hashKey(request.queryKey) &&
      Number.isInteger(c.s) &&
      (c.s ?? -1) >= 0 &&
      (c.s ?? 0) < request.symbols.length &&
      Number.isFinite(c.t) &&
      Number.isFinite(c.k);
    if (valid) return c as Cursor;
  } catch {
    // an unreadable token is answered like a foreign one
  }
  throw invalidParameter('invalid page_token');
}

/** Reads one page with Alpaca's semantics: `limit` counts across symbols; a symbol may span pages. */
export function readPage<T>(request: PageRequest, series: Series<T>): Page<T> {
  const q = hashKey(request.queryKey);
  const cursor = request.pageToken ? decode(request.pageToken, request) : undefined;
  const asc = request.sort === 'asc';
  const items = new Map<string, T[]>();
  let remaining = request.limit;
  for (let s = cursor?.s ?? 0; s < request.symbols.length; s++) {
    const symbol = request.symbols[s] ?? '';
    const from = cursor && cursor.s === s ? cursor : undefined;
    const skip = (item: T) =>
      from !== undefined &&
      series.time(item) === from.t &&
      (asc ? series.order(item) < from.k : series.order(item) > from.k);
    const got: T[] = [];
    let span = series.span;
    if (asc) {
      for (let lo = from ? from.t : request.start; got.length <= remaining && lo < request.end; span *= 2) {
        const hi = Math.min(request.end, lo + span);
        for (const item of series.fetch(symbol, lo, hi)) if (!skip(item)) got.push(item);
        lo = hi;
      }
    } else {
      for (
        let hi = from ? from.t + 1 : request.end;
        got.length <= remaining && hi > request.start;
        span *= 2
      ) {
        const lo = Math.max(request.start, hi - span);
        for (const item of series.fetch(symbol, lo, hi).reverse()) if (!skip(item)) got.push(item);
        hi = lo;
      }
    }
    const taken = got.slice(0, remaining);
    if (taken.length > 0) items.set(symbol, taken);
    remaining -= taken.length;
    const next = got[taken.length];
    if (next !== undefined)
      return { items, nextPageToken: encode({ q, s, t: series.time(next), k: series.order(next) }) };
    if (remaining === 0) {
      const more = s + 1 < request.symbols.length;
      const edge = asc ? { t: request.start, k: -1 } : { t: request.end - 1, k: Number.MAX_SAFE_INTEGER };
      return { items, nextPageToken: more ? encode({ q, s: s + 1, ...edge }) : null };
    }
  }
  return { items, nextPageToken: null };
}
