import type { Snapshot } from '../../../../contracts/market.js';
import type { StreamQuote, StreamTrade } from '../../../../contracts/stream.js';
import { countsTowards, timeframeOf } from '../candles/rollup.js';

/** Which way the last price just moved, for the cell flash. */
export type Flash = 'up' | 'down' | null;

/** One line of the quote table. Prices are display floats: this is market data, not money. */
export interface QuoteRow {
  symbol: string;
  last: number | null;
  prevClose: number | null;
  volume: number | null;
  bid: number | null;
  ask: number | null;
  /** Epoch ms of the newest trade counted in `last` and `volume`. */
  tradeAt: number;
  flash: Flash;
  /** Bumped on every flash so the cell can restart its animation. */
  flashId: number;
}

const DAY = timeframeOf('1Day');

/** A row seeded from a snapshot (or an empty one when the server had none). */
export function rowFromSnapshot(symbol: string, snapshot: Snapshot | undefined): QuoteRow {
  const trade = snapshot?.latestTrade ?? null;
  return {
    symbol,
    last: trade?.p ?? snapshot?.minuteBar?.c ?? snapshot?.dailyBar?.c ?? null,
    prevClose: snapshot?.prevDailyBar?.c ?? null,
    volume: snapshot?.dailyBar?.v ?? null,
    bid: snapshot?.latestQuote?.bp ?? null,
    ask: snapshot?.latestQuote?.ap ?? null,
    tradeAt: trade === null ? 0 : Date.parse(trade.t),
    flash: null,
    flashId: 0,
  };
}

/** 'up' or 'down' when a price changed, null when it did not (or there was none before). */
export function flashDirection(previous: number | null, next: number): Flash {
  if (previous === null || previous === next) return null;
  return next > previous ? 'up' : 'down';
}

/**
 * Applies a stream trade: new last price (flashing when it moved) and, for regular-session trades,
 * more day volume. Trades not newer than the row's last one were already counted, so are skipped.
 */
export function applyTrade(row: QuoteRow, trade: Pick<StreamTrade, 'p' | 's' | 't'>): QuoteRow {
  const at = Date.parse(trade.t);
  if (!Number.isFinite(at) || at <= row.tradeAt) return row;
  const flash = flashDirection(row.last, trade.p);
  const inDay = countsTowards(Math.floor(at / 60_000) * 60, DAY);
  return {
    ...row,
    last: trade.p,
    volume: inDay ? (row.volume ?? 0) + trade.s : row.volume,
    tradeAt: at,
    flash: flash ?? row.flash,
    flashId: flash === null ? row.flashId : row.flashId + 1,
  };
}

/** Applies a stream quote: the best bid and ask. */
export function applyQuote(row: QuoteRow, quote: Pick<StreamQuote, 'bp' | 'ap'>): QuoteRow {
  if (row.bid === quote.bp && row.ask === quote.ap) return row;
  return { ...row, bid: quote.bp, ask: quote.ap };
}

/** The move since the previous day's close, or null without both prices. */
export function changeOf(row: QuoteRow): { change: number; percent: number } | null {
  if (row.last === null || row.prevClose === null || row.prevClose === 0) return null;
  const change = row.last - row.prevClose;
  return { change, percent: change / row.prevClose };
}
