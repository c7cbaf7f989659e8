import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Asset,
  BarsQuery,
  BarsResponse,
  MarketClock,
  SnapshotsResponse,
  Ticker,
} from '../../../contracts/market.js';
import {
  type BarHistory,
  clockAt,
  type Instrument,
  parseTimeframe,
  type Quote,
  type Trade,
  searchInstruments,
  tradingDays,
} from '../../../core/market-data/index.js';
import { AppError } from '../../errors.js';
import { readBars } from '../../market/bars-query.js';
import {
  presentAsset,
  presentBar,
  presentCalendarDay,
  presentQuote,
  presentTrade,
} from './market.presenter.js';

export interface MarketRoutesOptions {
  history: BarHistory;
  instruments: readonly Instrument[];
  /** The last live trade and quote per symbol (the live market keeps them). */
  latest: { trade(symbol: string): Trade | undefined; quote(symbol: string): Quote | undefined };
}

const DAY = { amount: 1, unit: 'Day' } as const;
const MINUTE = { amount: 1, unit: 'Min' } as const;

const MAX_SYMBOLS = 100;

function parseTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new AppError(
      'MARKET_INVALID_PARAMETER',
      `${name} must be RFC 3339 (2024-01-03T14:30:00Z) or a date (2024-01-03)`,
    );
  }
  return ms;
}

function parseSymbols(text: string, known: ReadonlyMap<string, Instrument>): string[] {
  const symbols = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  if (symbols.length === 0)
    throw new AppError('MARKET_INVALID_PARAMETER', 'symbols must list at least one symbol');
  if (symbols.length > MAX_SYMBOLS)
    throw new AppError('MARKET_INVALID_PARAMETER', `symbols may list at most ${MAX_SYMBOLS}`);
  for (const symbol of symbols) {
    if (!Ticker.safeParse(symbol).success)
      throw new AppError('MARKET_INVALID_PARAMETER', `symbols: '${symbol}' is not a ticker`);
    if (!known.has(symbol))
      throw new AppError('MARKET_UNKNOWN_SYMBOL', `No instrument has the symbol ${symbol}`);
  }
  return symbols;
}

/** Bars, assets, clock and calendar, with Alpaca's shapes and field names. */
export const marketRoutes: FastifyPluginAsyncZod<MarketRoutesOptions> = async (app, options) => {
  const { history } = options;
  const known = new Map(options.instruments.map((i) => [i.symbol, i]));

  app.get(
    '/api/v1/bars',
    {
      schema: {
        tags: ['market'],
        summary: 'Historical bars (Alpaca shape); without start, the latest `limit` bars before end',
        querystring: BarsQuery,
        response: { 200: BarsResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const timeframe = parseTimeframe(q.timeframe);
      if (!timeframe)
        throw new AppError('MARKET_INVALID_TIMEFRAME', `timeframe '${q.timeframe}' is not supported`);
      const start = parseTime('start', q.start);
      const end = parseTime('end', q.end);
      if (start !== undefined && end !== undefined && end <= start) {
        throw new AppError('MARKET_INVALID_PARAMETER', 'end must be after start');
      }
      const page = await readBars(
        {
          symbols: parseSymbols(q.symbols, known),
          timeframe,
          timeframeText: q.timeframe,
          start,
          end,
          limit: q.limit,
          pageToken: q.page_token,
          sort: q.sort,
        },
        history,
      );
      const bars = Object.fromEntries(
        Object.entries(page.bars).map(([symbol, list]) => [symbol, list.map(presentBar)]),
      );
      return { bars, next_page_token: page.nextPageToken, source: history.source };
    },
  );

  app.get(
    '/api/v1/snapshots',
    {
      schema: {
        tags: ['market'],
        summary: 'Latest trade, quote, minute bar, daily bar and previous daily bar per symbol',
        querystring: z.object({ symbols: z.string().min(1).max(2000) }),
        response: { 200: SnapshotsResponse },
      },
    },
    async (request) => {
      const symbols = parseSymbols(request.query.symbols, known);
      const now = history.now();
      const entries = await Promise.all(
        symbols.map(async (symbol) => {
          const [days, minutes] = await Promise.all([
            history.bars(symbol, DAY, now - 10 * 86_400_000, now + 1),
            history.bars(symbol, MINUTE, now - 4 * 86_400_000, now + 1),
          ]);
          const trade = options.latest.trade(symbol);
          const quote = options.latest.quote(symbol);
          const minute = minutes.at(-1);
          const daily = days.at(-1);
          const previous = days.at(-2);
          return [
            symbol,
            {
              latestTrade: trade ? presentTrade(trade) : null,
              latestQuote: quote ? presentQuote(quote) : null,
              minuteBar: minute ? presentBar(minute) : null,
              dailyBar: daily ? presentBar(daily) : null,
              prevDailyBar: previous ? presentBar(previous) : null,
            },
          ] as const;
        }),
      );
      return { snapshots: Object.fromEntries(entries), source: history.source };
    },
  );

  app.get(
    '/api/v1/assets',
    {
      schema: {
        tags: ['market'],
        summary: 'Tradable instruments; `search` matches symbol prefix, then name',
        querystring: z.object({
          search: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.array(Asset) },
      },
    },
    async (request) => {
      const { search, limit } = request.query;
      const list = search
        ? searchInstruments(search, limit, options.instruments)
        : options.instruments.slice(0, limit);
      return list.map(presentAsset);
    },
  );

  app.get(
    '/api/v1/assets/:symbol',
    {
      schema: {
        tags: ['market'],
        summary: 'One instrument',
        params: z.object({ symbol: Ticker }),
        response: { 200: Asset },
      },
    },
    async (request) => {
      const instrument = known.get(request.params.symbol);
      if (!instrument)
        throw new AppError('MARKET_UNKNOWN_SYMBOL', `No instrument has the symbol ${request.params.symbol}`);
      return presentAsset(instrument);
    },
  );

  app.get(
    '/api/v1/clock',
    {
      schema: {
        tags: ['market'],
        summary: 'Market clock (Alpaca shape), on the feed’s time',
        response: { 200: MarketClock },
      },
    },
    async () => clockAt(history.now()),
  );

  app.get(
    '/api/v1/calendar',
    {
      schema: {
        tags: ['market'],
        summary: 'Trading days with open and close (Alpaca shape)',
        querystring: z.object({
          start: z.iso.date().optional(),
          end: z.iso.date().optional(),
        }),
      },
    },
    async (request) => {
      const today = new Date(history.now()).toISOString().slice(0, 10);
      const start = request.query.start ?? today;
      const end = request.query.end ?? start;
      if (end < start) throw new AppError('MARKET_INVALID_PARAMETER', 'end must not be before start');
      if (Date.parse(end) - Date.parse(start) > 3_660 * 86_400_000) {
        throw new AppError('MARKET_INVALID_PARAMETER', 'the calendar window may span at most 10 years');
      }
      return tradingDays(start, end).map(presentCalendarDay);
    },
  );
};
