import { DomainError, Money, parseMoney } from '../../core/kernel/index.js';
import {
  type NewOrderRequest,
  type Order,
  type OrderSpec,
  type OrderStore,
  type ReplaceOrderRequest,
  checkOrder,
  createOrders,
  isOpen,
  orderFingerprint,
  refusalError,
  reservedBuyingPower,
  specFingerprint,
  timeInForceWindowRefusal,
  validateOrder,
} from '../../core/trading/index.js';
import { orderNotFound, type PaperAccount } from './paper-account.js';

const RECENT_MS = 10 * 60_000;

class DuplicateClientOrderId extends Error {}

async function firstOrConflict(first: Order, spec: OrderSpec, orders: OrderStore): Promise<Order> {
  const legs = (await Promise.all(first.legs.map((id) => orders.get(id)))).filter(
    (o): o is Order => o !== null,
  );
  if (orderFingerprint(first, legs) === specFingerprint(spec)) return first;
  throw new DomainError('TRADING_CLIENT_ORDER_ID_CONFLICT', 'client_order_id must be unique', {
    clientOrderId: first.clientOrderId,
  });
}

/** Validates, guards and places an order; a retry with a known client_order_id returns the first order. */
async function placeNow(account: PaperAccount, request: NewOrderRequest): Promise<Order> {
  const { deps, engine, ledger } = account;
  const now = deps.now();
  const checked = validateOrder(request);
  if (!checked.ok) throw refusalError(checked.refusal);
  const spec = checked.value;
  if (!deps.isKnownSymbol(spec.symbol))
    throw new DomainError('TRADING_UNKNOWN_SYMBOL', `symbol: asset "${spec.symbol}" not found`, {
      field: 'symbol',
    });
  const orders = deps.store.orders(account.id);
  if (spec.clientOrderId !== null) {
    const first = await orders.getByClientId(spec.clientOrderId);
    if (first) return firstOrConflict(first, spec, orders);
  }
  const window = timeInForceWindowRefusal(spec, now);
  if (window) throw refusalError(window);
  await account.step(() => account.seed(spec.symbol));
  const open = engine.openOrders();
  const quote = engine.quote(spec.symbol);
  const price = (s: string) => engine.lastPrice(s) ?? deps.marks(s);
  const refusal = checkOrder(
    spec,
    {
      now,
      account: account.snapshot(),
      position: ledger.position(spec.symbol).qty,
      referencePrice: quote ? (spec.side === 'buy' ? quote.ask : quote.bid) : price(spec.symbol),
      openOrders: open,
      recentOrders: engine.allOrders().filter((o) => o.submittedAt >= now - RECENT_MS),
      wouldDayTrade: ledger.dayTrades.wouldDayTrade(spec.symbol, now),
    },
    account.limits,
    reservedBuyingPower(open, price),
  );
  if (refusal) throw refusalError(refusal);
  const id = account.newId();
  const clientOrderId = spec.clientOrderId ?? id;
  const group = createOrders(spec, { id, clientOrderId, newId: () => account.newId() }, now);
  try {
    await account.step(() => engine.submit(group, now), {
      also: async (tx) => {
        if ((await tx.insertOrders(group)) === 'duplicate_client_order_id')
          throw new DuplicateClientOrderId();
      },
    });
  } catch (error) {
    // Another node placed this client_order_id first: the unique index decided; answer as a retry.
    const first = error instanceof DuplicateClientOrderId ? await orders.getByClientId(clientOrderId) : null;
    if (first) return firstOrConflict(first, spec, orders);
    throw error;
  }
  return (await orders.get(id)) ?? engine.get(id) ?? group[0] ?? orderNotFoundThrow(id);
}

function orderNotFoundThrow(id: string): never {
  throw orderNotFound(id);
}

/** Places an order through the account's guards; answers only after it is committed. */
export function placeOrder(account: PaperAccount, request: NewOrderRequest): Promise<Order> {
  return account.run(() => placeNow(account, request));
}

/** Replaces an open order (PATCH): the new order `replaces` the old, which ends `replaced`. */
export function replaceOrder(
  account: PaperAccount,
  id: string,
  changes: ReplaceOrderRequest,
): Promise<Order> {
  return account.run(async () => {
    const orders = account.deps.store.orders(account.id);
    const stored = await orders.get(id);
    if (!stored) throw orderNotFound(id);
    const old = account.engine.get(id);
    if (!isOpen(stored) || !old)
      throw new DomainError(
        'TRADING_ORDER_NOT_REPLACEABLE',
        `order is not replaceable while ${stored.status}`,
        {
          id,
        },
      );
    if (changes.clientOrderId && (await orders.getByClientId(changes.clientOrderId)))
      throw new DomainError('TRADING_CLIENT_ORDER_ID_CONFLICT', 'client_order_id must be unique');
    const newId = account.newId();
    const { engine } = account;
    // A re-armed exit leg (after a restart) has its filled entry only in the database: relink it there.
    const storedParentId = account.identityOf(id)?.parentId ?? null;
    const storedParent = storedParentId === null ? null : await orders.get(storedParentId);
    account.inheritIdentity(id, newId);
    await account.step(() => engine.replace(id, changes, newId, account.deps.now()), {
      extra: () => [
        engine.get(newId),
        old.parentId === null ? undefined : engine.get(old.parentId),
        ...old.legs.map((leg) => engine.get(leg)),
        storedParent
          ? { ...storedParent, legs: storedParent.legs.map((l) => (l === id ? newId : l)) }
          : undefined,
      ],
    });
    return (await orders.get(newId)) ?? orderNotFoundThrow(newId);
  });
}

async function cancelNow(account: PaperAccount, ids: readonly string[]): Promise<void> {
  const { engine } = account;
  const t = account.deps.now();
  await account.step(() => {
    const updates = [];
    for (const id of ids) {
      const current = engine.get(id);
      if (current && isOpen(current)) updates.push(...engine.cancel(id, t).updates);
    }
    return { fills: [], updates };
  });
}

/** Cancels an open order (and the rest of its group); 404 for unknown ids, 422 when finished. */
export function cancelOrder(account: PaperAccount, id: string): Promise<void> {
  return account.run(async () => {
    const stored = await account.deps.store.orders(account.id).get(id);
    if (!stored) throw orderNotFound(id);
    if (!isOpen(stored) || !account.engine.get(id))
      throw new DomainError('TRADING_ORDER_NOT_CANCELABLE', `order is already in "${stored.status}" state`, {
        id,
      });
    await cancelNow(account, [id]);
  });
}

/** Cancels every open order; the ids and 200 per order (Alpaca's 207 body). */
export function cancelAllOrders(account: PaperAccount): Promise<{ id: string; status: number }[]> {
  return account.run(async () => {
    const open = account.engine.openOrders().filter((o) => o.parentId === null);
    await cancelNow(
      account,
      open.map((o) => o.id),
    );
    return open.map((o) => ({ id: o.id, status: 200 }));
  });
}

/** How much of a position to close: all, `qty` shares, or `percentage` percent (decimal strings). */
export interface CloseAmount {
  readonly qty?: string | undefined;
  readonly percentage?: string | undefined;
}

function closeRequest(account: PaperAccount, symbol: string, amount: CloseAmount): NewOrderRequest {
  const held = account.ledger.position(symbol).qty;
  if (held.isZero())
    throw new DomainError('TRADING_POSITION_NOT_FOUND', 'position does not exist', { symbol });
  if (amount.qty !== undefined && amount.percentage !== undefined)
    throw new DomainError('TRADING_INVALID_QTY', 'qty and percentage are mutually exclusive');
  const parse = (field: string, text: string) => {
    const value = parseMoney(text);
    if (!value || value.lte(0))
      throw new DomainError('TRADING_INVALID_QTY', `${field} must be a positive decimal`);
    return value;
  };
  const pct = amount.percentage === undefined ? null : parse('percentage', amount.percentage);
  if (pct?.gt(100)) throw new DomainError('TRADING_INVALID_QTY', 'percentage must be at most 100');
  const qty =
    amount.qty !== undefined
      ? parse('qty', amount.qty)
      : pct
        ? held.abs().times(pct).dividedBy(100).toDecimalPlaces(9, Money.ROUND_DOWN)
        : held.abs();
  return { symbol, side: held.isNegative() ? 'buy' : 'sell', type: 'market', timeInForce: 'day', qty };
}

/** Closes (part of) a position with a market order; returns the order. */
export function closePosition(
  account: PaperAccount,
  symbol: string,
  amount: CloseAmount = {},
): Promise<Order> {
  return account.run(() => placeNow(account, closeRequest(account, symbol, amount)));
}

/** The outcome of closing one position in a close-all. */
export type CloseOutcome = { symbol: string; order: Order } | { symbol: string; error: unknown };

/** Closes every position (after canceling open orders when asked); one outcome per symbol. */
export function closeAllPositions(account: PaperAccount, cancelOrders: boolean): Promise<CloseOutcome[]> {
  return account.run(async () => {
    if (cancelOrders) {
      const open = account.engine.openOrders().filter((o) => o.parentId === null);
      await cancelNow(
        account,
        open.map((o) => o.id),
      );
    }
    const outcomes: CloseOutcome[] = [];
    for (const { symbol } of account.positions()) {
      try {
        outcomes.push({ symbol, order: await placeNow(account, closeRequest(account, symbol, {})) });
      } catch (error) {
        outcomes.push({ symbol, error });
      }
    }
    return outcomes;
  });
}
