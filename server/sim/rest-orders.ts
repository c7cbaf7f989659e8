import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Order, OrderFilter } from '../../core/trading/index.js';
import { AlpacaError, invalidParameter, notFound } from './alpaca-error.js';
import { type RawQuery, param } from './query.js';
import type { SimAccount, SimAccounts } from './sim-accounts.js';
import { instantParam } from './time.js';
import { alpacaErrorOf, newOrderRequest, orderJson, replaceRequest } from './trading-json.js';

/** What the order routes need: the accounts, one per API key. */
export interface OrderRoutesOptions {
  accounts: SimAccounts;
}

type Request = FastifyRequest<{ Params: { id?: string }; Querystring: RawQuery; Body: unknown }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account of the request's API key (the REST hook has already checked the pair). */
export function accountOf(accounts: SimAccounts, request: FastifyRequest): SimAccount {
  return accounts.forKey(String(request.headers['apca-api-key-id']));
}

/** Runs a broker call, answering its refusals the way Alpaca does. */
export async function alpaca<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw alpacaErrorOf(error);
  }
}

function flag(query: RawQuery, name: string): boolean {
  const text = param(query, name);
  if (text === undefined || text === '' || text === 'false') return false;
  if (text === 'true') return true;
  throw invalidParameter(`invalid ${name}: ${text}`);
}

function orderFilter(query: RawQuery): OrderFilter {
  const status = param(query, 'status') ?? 'open';
  if (status !== 'open' && status !== 'closed' && status !== 'all')
    throw invalidParameter(`invalid status: ${status}`);
  const limitText = param(query, 'limit');
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw invalidParameter(`invalid limit: ${limitText}`);
  const direction = param(query, 'direction') ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') throw invalidParameter(`invalid direction: ${direction}`);
  const side = param(query, 'side');
  if (side !== undefined && side !== 'buy' && side !== 'sell')
    throw invalidParameter(`invalid side: ${side}`);
  const symbols = param(query, 'symbols')
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    status,
    limit,
    direction,
    ...(symbols && symbols.length > 0 && { symbols }),
    ...(side !== undefined && { side }),
    ...(param(query, 'after') !== undefined && { after: instantParam('after', param(query, 'after')) }),
    ...(param(query, 'until') !== undefined && { until: instantParam('until', param(query, 'until')) }),
  };
}

async function present(account: SimAccount, order: Order, nested: boolean): Promise<Record<string, unknown>> {
  if (!nested || order.legs.length === 0) return orderJson(order);
  const legs = await Promise.all(order.legs.map((id) => account.broker.getOrder(id)));
  return orderJson(
    order,
    legs.filter((leg): leg is Order => leg !== null),
  );
}

/** Trading API v2 orders: place, list, get (by id or client id), replace, cancel one or all. */
export const orderRoutes: FastifyPluginAsync<OrderRoutesOptions> = async (app, { accounts }) => {
  app.post('/v2/orders', async (request: Request) => {
    const account = accountOf(accounts, request);
    const order = newOrderRequest(request.body);
    const placed = await accounts.act(account, order.symbol, () =>
      alpaca(() => account.broker.submitOrder(order)),
    );
    // Alpaca answers an advanced order with its legs nested.
    return present(account, placed, true);
  });

  app.get('/v2/orders', async (request: Request) => {
    const account = accountOf(accounts, request);
    const filter = orderFilter(request.query);
    const nested = flag(request.query, 'nested');
    const orders = await accounts.act(account, null, () =>
      account.broker.listOrders({ ...filter, limit: 500 }),
    );
    const listed = (nested ? orders.filter((o) => o.parentId === null) : orders).slice(0, filter.limit);
    return Promise.all(listed.map((o) => present(account, o, nested)));
  });

  // Fastify spells a literal ':' in a path as '::'.
  app.get('/v2/orders::by_client_order_id', async (request: Request) => {
    const account = accountOf(accounts, request);
    const clientOrderId = param(request.query, 'client_order_id');
    if (!clientOrderId) throw invalidParameter('client_order_id is missing');
    const order = await accounts.act(account, null, () => account.broker.getOrderByClientId(clientOrderId));
    if (!order) throw notFound('order not found');
    return present(account, order, flag(request.query, 'nested'));
  });

  app.get('/v2/orders/:id', async (request: Request) => {
    const account = accountOf(accounts, request);
    const id = request.params.id ?? '';
    if (!UUID.test(id)) throw new AlpacaError(422, 40010001, 'order_id is missing');
    const order = await accounts.act(account, null, () => account.broker.getOrder(id));
    if (!order) throw notFound('order not found');
    return present(account, order, flag(request.query, 'nested'));
  });

  app.patch('/v2/orders/:id', async (request: Request) => {
    const account = accountOf(accounts, request);
    const id = request.params.id ?? '';
    const changes = replaceRequest(request.body);
    const existing = await account.broker.getOrder(id);
    if (!existing) throw notFound('order not found');
    const next = await accounts.act(account, existing.symbol, () =>
      alpaca(() => account.broker.replaceOrder(id, changes)),
    );
    return present(account, next, true);
  });

  app.delete('/v2/orders/:id', async (request: Request, reply) => {
    const account = accountOf(accounts, request);
    const id = request.params.id ?? '';
    await accounts.act(account, null, () => alpaca(() => account.broker.cancelOrder(id)));
    return reply.code(204).send();
  });

  app.delete('/v2/orders', async (request: Request, reply) => {
    const account = accountOf(accounts, request);
    const results = await accounts.act(account, null, () => account.broker.cancelAll());
    const body = await Promise.all(
      results.map(async (r) => {
        const order = await account.broker.getOrder(r.id);
        return { id: r.id, status: r.status, ...(order && { body: orderJson(order) }) };
      }),
    );
    return reply.code(207).send(body);
  });
};
