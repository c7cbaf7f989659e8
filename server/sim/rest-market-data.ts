import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/kernel/index.js';
import {
  type Bar,
  type MarketSimulator,
  type Quote,
  type Trade,
  intradayMs,
  isIntraday,
} from '../../core/market-data/index.js';
import { notFound } from './alpaca-error.js';
import { type Series, readPage } from './pagination.js';
import { presentBar, presentQuote, presentTrade } from './presenter.js';
import {
  type RawQuery,
  checkLatestParams,
  checkSymbol,
  pageRequest,
  symbolsParam,
  timeframeParam,
} from './query.js';
import {
  barsAsOf,
  latestMinuteBar,
  latestQuote,
  latestTrade,
  quotesAsOf,
  recentDailyBars,
  tradesAsOf,
} from './series.js';

/** What the market-data routes read: the simulator and its clock. */
export interface MarketDataRoutesOptions {
  simulator: MarketSimulator;
  clock: Clock;
}

type Kind = 'bars' | 'trades' | 'quotes';
type Presented = Record<string, unknown>;
type Source<T> = { series: Series<T>; present: (item: T) => Presented; key: string };
type Request = FastifyRequest<{ Params: { symbol?: string }; Querystring: RawQuery }>;

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Alpaca Market Data v2 for stocks: historical (paged), latest and snapshots, bounded by the simulated clock. */
export const marketDataRoutes: FastifyPluginAsync<MarketDataRoutesOptions> = async (
  app,
  { simulator: sim, clock },
) => {
  function barSource(query: RawQuery, now: number): Source<Bar> {
    const { timeframe, text } = timeframeParam(query);
    const span = isIntraday(timeframe)
      ? 256 * intradayMs(timeframe)
      : timeframe.unit === 'Day'
        ? 32 * DAY
        : 400 * DAY;
    return {
      series: {
        fetch: (symbol, from, to) => barsAsOf(sim, symbol, timeframe, from, to, now),
        time: (b) => b.t,
        order: () => 0,
        span,
      },
      present: (b) => presentBar(b),
      key: `bars:${text}`,
    };
  }
  function tradeSource(now: number): Source<Trade> {
    return {
      series: {
        fetch: (symbol, from, to) => tradesAsOf(sim, symbol, from, to, now),
        time: (t) => t.t,
        order: (t) => t.id,
        span: 5 * MINUTE,
      },
      present: (t) => presentTrade(t),
      key: 'trades',
    };
  }
  function quoteSource(now: number): Source<Quote> {
    return {
      series: {
        fetch: (symbol, from, to) => quotesAsOf(sim, symbol, from, to, now),
        time: (q) => q.t,
        order: () => 0,
        span: MINUTE,
      },
      present: (q) => presentQuote(q),
      key: 'quotes',
    };
  }

  function respond<T>(
    kind: Kind,
    request: Request,
    symbols: string[],
    single: boolean,
    now: number,
    src: Source<T>,
  ) {
    const page = readPage(pageRequest(request.query, symbols, src.key, now), src.series);
    const present = (xs: T[]) => xs.map(src.present);
    const symbol = symbols[0] ?? '';
    if (single)
      return { [kind]: present(page.items.get(symbol) ?? []), symbol, next_page_token: page.nextPageToken };
    return {
      [kind]: Object.fromEntries([...page.items].map(([s, xs]) => [s, present(xs)])),
      next_page_token: page.nextPageToken,
    };
  }

  function historical(kind: Kind, request: Request) {
    const now = clock.now();
    const single = request.params.symbol !== undefined;
    const symbols = single ? [checkSymbol(request.params.symbol ?? '')] : symbolsParam(request.query);
    if (kind === 'bars') return respond(kind, request, symbols, single, now, barSource(request.query, now));
    if (kind === 'trades') return respond(kind, request, symbols, single, now, tradeSource(now));
    return respond(kind, request, symbols, single, now, quoteSource(now));
  }

  for (const kind of ['bars', 'trades', 'quotes'] as const) {
    app.get(`/v2/stocks/${kind}`, async (request: Request) => historical(kind, request));
    app.get(`/v2/stocks/:symbol/${kind}`, async (request: Request) => historical(kind, request));
  }

  const latest = {
    trades: {
      one: 'trade',
      find: (symbol: string, now: number) => mapNull(latestTrade(sim, symbol, now), presentTrade),
    },
    quotes: {
      one: 'quote',
      find: (symbol: string, now: number) => mapNull(latestQuote(sim, symbol, now), presentQuote),
    },
    bars: {
      one: 'bar',
      find: (symbol: string, now: number) => mapNull(latestMinuteBar(sim, symbol, now), presentBar),
    },
  } as const;
  for (const kind of ['bars', 'trades', 'quotes'] as const) {
    const { one, find } = latest[kind];
    app.get(`/v2/stocks/${kind}/latest`, async (request: Request) => {
      checkLatestParams(request.query);
      const now = clock.now();
      const out: Record<string, Presented> = {};
      for (const symbol of symbolsParam(request.query)) {
        const found = find(symbol, now);
        if (found) out[symbol] = found;
      }
      return { [kind]: out };
    });
    app.get(`/v2/stocks/:symbol/${kind}/latest`, async (request: Request) => {
      checkLatestParams(request.query);
      const symbol = checkSymbol(request.params.symbol ?? '');
      const found = find(symbol, clock.now());
      if (!found) throw notFound(`no ${one} found for ${symbol}`);
      return { symbol, [one]: found };
    });
  }

  function snapshot(symbol: string, now: number) {
    if (!sim.has(symbol)) return null;
    const { daily, previous } = recentDailyBars(sim, symbol, now);
    return {
      latestTrade: mapNull(latestTrade(sim, symbol, now), presentTrade),
      latestQuote: mapNull(latestQuote(sim, symbol, now), presentQuote),
      minuteBar: mapNull(latestMinuteBar(sim, symbol, now), presentBar),
      dailyBar: mapNull(daily, presentBar),
      prevDailyBar: mapNull(previous, presentBar),
    };
  }

  app.get('/v2/stocks/snapshots', async (request: Request) => {
    checkLatestParams(request.query);
    const now = clock.now();
    const out: Record<string, unknown> = {};
    for (const symbol of symbolsParam(request.query)) {
      const snap = snapshot(symbol, now);
      if (snap) out[symbol] = snap;
    }
    return out;
  });
  app.get('/v2/stocks/:symbol/snapshot', async (request: Request) => {
    checkLatestParams(request.query);
    const symbol = checkSymbol(request.params.symbol ?? '');
    const snap = snapshot(symbol, clock.now());
    if (!snap) throw notFound(`no snapshot found for ${symbol}`);
    return { symbol, ...snap };
  });
};

function mapNull<T, R>(value: T | null, f: (v: T) => R): R | null {
  return value === null ? null : f(value);
}
