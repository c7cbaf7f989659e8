import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/kernel/index.js';
import {
  type Instrument,
  type SessionDay,
  SIM_FIRST_DATE,
  SIM_LAST_DATE,
  clockAt,
  dayNumber,
  sessionOnDay,
  tradingDays,
} from '../../core/market-data/index.js';
import { invalidParameter, notFound } from './alpaca-error.js';
import { assetId, presentAsset, presentCalendarDay } from './presenter.js';
import { type RawQuery, param } from './query.js';
import { parseInstant } from './time.js';

/** What the trading routes read. Orders, positions and the account join here with the trading issue. */
export interface TradingRoutesOptions {
  instruments: readonly Instrument[];
  clock: Clock;
}

type Request = FastifyRequest<{ Params: { symbol?: string }; Querystring: RawQuery }>;

/** US equities have settled T+1 since 2024-05-28, T+2 before. */
const T_PLUS_ONE_FROM = '2024-05-28';

function settlementDate(s: SessionDay): string {
  let left = s.date >= T_PLUS_ONE_FROM ? 1 : 2;
  for (let day = dayNumber(s.date) + 1; ; day++) {
    const next = sessionOnDay(day);
    if (next && --left === 0) return next.date;
  }
}

function calendarDate(name: string, text: string | undefined, fallback: string): string {
  if (text === undefined || text === '') return fallback;
  if (parseInstant(text) === null)
    throw invalidParameter(
      `Invalid format for parameter ${name}: error parsing '${text}' as RFC3339 or 2006-01-02 time`,
    );
  return text.slice(0, 10);
}

/** Trading API v2 basics: `/v2/clock`, `/v2/calendar`, `/v2/assets[/{symbol_or_asset_id}]`. */
export const tradingRoutes: FastifyPluginAsync<TradingRoutesOptions> = async (
  app,
  { instruments, clock },
) => {
  app.get('/v2/clock', async () => clockAt(clock.now()));

  app.get('/v2/calendar', async (request: Request) => {
    const start = calendarDate('start', param(request.query, 'start'), SIM_FIRST_DATE);
    const end = calendarDate('end', param(request.query, 'end'), SIM_LAST_DATE);
    const dateType = param(request.query, 'date_type') ?? 'TRADING';
    if (dateType !== 'TRADING' && dateType !== 'SETTLEMENT')
      throw invalidParameter(`invalid date_type: ${dateType}`);
    if (dateType === 'TRADING')
      return tradingDays(start, end).map((s) => presentCalendarDay(s, settlementDate(s)));
    // Settlement dates trail trading dates by at most a few days: widen, then filter on settlement.
    const from = new Date(Date.parse(`${start}T00:00:00Z`) - 10 * 86_400_000).toISOString().slice(0, 10);
    return tradingDays(from, end)
      .map((s) => presentCalendarDay(s, settlementDate(s)))
      .filter((row) => row.settlement_date >= start && row.settlement_date <= end);
  });

  app.get('/v2/assets', async (request: Request) => {
    const status = param(request.query, 'status');
    const assetClass = param(request.query, 'asset_class') ?? 'us_equity';
    const exchange = param(request.query, 'exchange');
    if (status !== undefined && status !== 'active' && status !== 'inactive')
      throw invalidParameter(`invalid status: ${status}`);
    if (status === 'inactive' || assetClass !== 'us_equity') return [];
    return instruments.filter((i) => exchange === undefined || i.exchange === exchange).map(presentAsset);
  });

  app.get('/v2/assets/:symbol', async (request: Request) => {
    const key = request.params.symbol ?? '';
    const found = instruments.find(
      (i) => i.symbol === key || i.symbol === key.toUpperCase() || assetId(i.symbol) === key,
    );
    if (!found) throw notFound('asset not found');
    return presentAsset(found);
  });
};
