import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type Clock, type Money, parseMoney } from '../../core/kernel/index.js';
import { type MarketSimulator, exchangeDay, sessionOnDay } from '../../core/market-data/index.js';
import type { PositionSnapshot } from '../../core/trading/index.js';
import { AlpacaError, invalidParameter, notFound } from './alpaca-error.js';
import { type RawQuery, param } from './query.js';
import { accountOf, alpaca } from './rest-orders.js';
import type { SimAccount, SimAccounts } from './sim-accounts.js';
import { instantParam } from './time.js';
import { accountJson, activityJson, orderJson, positionJson } from './trading-json.js';

/** What the account routes need. */
export interface AccountRoutesOptions {
  accounts: SimAccounts;
  simulator: MarketSimulator;
  clock: Clock;
}

type Request = FastifyRequest<{ Params: { symbol?: string; type?: string }; Querystring: RawQuery }>;

function decimalParam(query: RawQuery, name: string): Money | undefined {
  const text = param(query, name);
  if (text === undefined || text === '') return undefined;
  const value = parseMoney(text);
  if (value === null || value.lte(0) || value.decimalPlaces() > 9)
    throw invalidParameter(`invalid ${name}: ${text}`);
  return value;
}

/** Trading API v2 account, positions and FILL activities. */
export const accountRoutes: FastifyPluginAsync<AccountRoutesOptions> = async (app, options) => {
  const { accounts, simulator, clock } = options;

  /** The previous regular session's close, as Alpaca's lastday_price. */
  const lastdayPrice = (symbol: string, fallback: Money): string => {
    if (!simulator.has(symbol)) return fallback.toString();
    for (let day = exchangeDay(clock.now()) - 1, n = 0; n < 10; day--, n++) {
      const session = sessionOnDay(day);
      if (!session) continue;
      const last = simulator.tradesBetween(symbol, session.close - 60_000, session.close).at(-1);
      return last ? String(last.price) : fallback.toString();
    }
    return fallback.toString();
  };
  const exchangeOf = (symbol: string): string =>
    simulator.instruments.find((i) => i.symbol === symbol)?.exchange ?? 'NASDAQ';
  const position = (p: PositionSnapshot) =>
    positionJson(p, exchangeOf(p.symbol), lastdayPrice(p.symbol, p.avgEntryPrice));
  const held = async (account: SimAccount, symbol: string) =>
    (await account.broker.listPositions()).find(
      (p) => p.symbol === symbol || p.symbol === symbol.toUpperCase(),
    );

  app.get('/v2/account', async (request: Request) => {
    const account = accountOf(accounts, request);
    const snapshot = await accounts.act(account, null, () => account.broker.getAccount());
    return accountJson(account, snapshot);
  });

  app.get('/v2/positions', async (request: Request) => {
    const account = accountOf(accounts, request);
    const list = await accounts.act(account, null, () => account.broker.listPositions());
    return list.map(position);
  });

  app.get('/v2/positions/:symbol', async (request: Request) => {
    const account = accountOf(accounts, request);
    const found = await accounts.act(account, null, () => held(account, request.params.symbol ?? ''));
    if (!found) throw notFound('position does not exist');
    return position(found);
  });

  app.delete('/v2/positions/:symbol', async (request: Request) => {
    const account = accountOf(accounts, request);
    const qty = decimalParam(request.query, 'qty');
    const percentage = decimalParam(request.query, 'percentage');
    if (qty && percentage) throw new AlpacaError(422, 40010001, 'only one of qty or percentage may be given');
    if (percentage?.gt(100)) throw new AlpacaError(422, 40010001, 'percentage must be at most 100');
    const found = await held(account, request.params.symbol ?? '');
    if (!found) throw notFound('position does not exist');
    if (qty?.gt(found.qty.abs()))
      throw new AlpacaError(
        403,
        40310000,
        `insufficient qty available for order (requested: ${qty}, available: ${found.qty.abs()})`,
      );
    const order = await accounts.act(account, found.symbol, () =>
      alpaca(() =>
        account.broker.closePosition(found.symbol, {
          ...(qty && { qty }),
          ...(percentage && { percentage }),
        }),
      ),
    );
    return orderJson(order);
  });

  app.delete('/v2/positions', async (request: Request, reply) => {
    const account = accountOf(accounts, request);
    const cancel = param(request.query, 'cancel_orders') === 'true';
    if (cancel) await accounts.act(account, null, () => account.broker.cancelAll());
    const results = [];
    for (const p of await account.broker.listPositions()) {
      try {
        const order = await accounts.act(account, p.symbol, () =>
          alpaca(() => account.broker.closePosition(p.symbol)),
        );
        results.push({ symbol: p.symbol, status: 200, body: orderJson(order) });
      } catch (error) {
        const e =
          error instanceof AlpacaError ? error : new AlpacaError(500, 50010000, 'internal server error');
        results.push({ symbol: p.symbol, status: e.status, body: { code: e.code, message: e.message } });
      }
    }
    return reply.code(207).send(results);
  });

  const activities = async (request: Request) => {
    const account = accountOf(accounts, request);
    const q = request.query;
    const typeParam = request.params.type ?? param(q, 'activity_types');
    const types = typeParam?.split(',').map((t) => t.trim().toUpperCase());
    const direction = param(q, 'direction') ?? 'desc';
    if (direction !== 'asc' && direction !== 'desc')
      throw invalidParameter(`invalid direction: ${direction}`);
    const size = Number(param(q, 'page_size') ?? 100);
    if (!Number.isInteger(size) || size < 1 || size > 100)
      throw invalidParameter(`invalid page_size: ${size}`);
    const date = param(q, 'date');
    const dayStart = date !== undefined ? instantParam('date', date.slice(0, 10)) : undefined;
    const after = dayStart ?? instantParam('after', param(q, 'after'));
    const until = dayStart !== undefined ? dayStart + 86_400_000 : instantParam('until', param(q, 'until'));
    let list = (types === undefined || types.includes('FILL') ? [...account.activities] : []).filter(
      (a) => (after === undefined || a.t > after) && (until === undefined || a.t < until),
    );
    if (direction === 'desc') list.reverse();
    const token = param(q, 'page_token');
    if (token) {
      const at = list.findIndex((a) => a.id === token);
      list = at < 0 ? [] : list.slice(at + 1);
    }
    return list.slice(0, size).map(activityJson);
  };
  app.get('/v2/account/activities', activities);
  app.get('/v2/account/activities/:type', activities);
};
