import { DomainError, Money, parseMoney } from '../../core/kernel/index.js';
import {
  type EngineOutput,
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
  replacementOf,
  reservedBuyingPower,
  specFingerprint,
  timeInForceWindowRefusal,
  validateOrder,
} from '../../core/trading/index.js';
import {
  DuplicateClientOrderId,
  merge,
  orderNotFound,
  type PaperAccount,
  RECENT_ORDERS_MS,
} from './paper-account.js';

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
  const { deps, engine } = account;
  const now = deps.now();
  const checked = validateOrder(request);
  if (!checked.ok) throw refusalError(checked.refusal);
  const spec = checked.value;
  if (!deps.isKnownSymbol(spec.symbol)) throw unknownSymbol(spec.symbol);
  const orders = deps.store.orders(account.id);
  const retried = async (clientOrderId: string | null): Promise<Order | null> => {
    const first = clientOrderId === null ? null : await orders.getByClientId(clientOrderId);
    return first && firstOrConflict(first, spec, orders);
  };
  // A retry of an order placed recently is answered from the database before anything is placed. Any
  // other client_order_id is decided by the unique index when the order is inserted (no read first).
  if (spec.clientOrderId !== null && account.knowsClientOrderId(spec.clientOrderId)) {
    const first = await retried(spec.clientOrderId);
    if (first) return first;
  }
  let group: Order[];
  try {
    group = await guard(account, spec, now);
  } catch (error) {
    // An older retry may be refused now (its own order spent the buying power): the first order answers.
    const first = error instanceof DomainError ? await retried(spec.clientOrderId) : null;
    if (first) return first;
    throw error;
  }
  const head = group[0] ?? orderNotFoundThrow(spec.symbol);
  try {
    await account.step(() => engine.submit(group, now), {
      // Inserted as the engine left them (a marketable order may already be filled): written once.
      insert: () => group.map((o) => account.storedOrder(o.id) ?? o),
    });
  } catch (error) {
    // Another request or node placed this client_order_id first: the unique index decided; answer as a retry.
    const first = error instanceof DuplicateClientOrderId ? await retried(head.clientOrderId) : null;
    if (first) return first;
    throw error;
  }
  account.rememberClientOrderIds(group);
  return account.storedOrder(head.id) ?? head;
}

/** Seeds the engine with the symbol's latest quote, then runs the guards (see {@link check}). */
async function guard(account: PaperAccount, spec: OrderSpec, now: number): Promise<Order[]> {
  await account.step(() => account.seed(spec.symbol));
  return check(account, spec, now);
}

/** The session window and risk guards against the books as they are; the new order group, or throws. */
function check(account: PaperAccount, spec: OrderSpec, now: number): Order[] {
  guardAgainstBooks(account, spec, now, null);
  const id = account.newId();
  return createOrders(
    spec,
    { id, clientOrderId: spec.clientOrderId ?? id, newId: () => account.newId() },
    now,
  );
}

/**
 * Throws the first refusal of the session window or the risk guards for `spec` against the books as they
 * are. An order being replaced (`replacing`) is left out of them: its replacement is judged as if the old
 * order were gone (its held buying power, its pending sells, and as a duplicate of itself).
 */
function guardAgainstBooks(
  account: PaperAccount,
  spec: OrderSpec,
  now: number,
  replacing: Order | null,
): void {
  const { engine, ledger } = account;
  const window = timeInForceWindowRefusal(spec, now);
  if (window) throw refusalError(window);
  const quote = engine.quote(spec.symbol);
  const price = (s: string) => account.referencePrice(s);
  const others = (orders: readonly Order[]) =>
    replacing === null ? orders : orders.filter((o) => o.id !== replacing.id);
  // Kept by the engine as orders change (equal to reservedBuyingPower over every open order).
  let reserved = engine.reservedBuyingPower(price);
  if (replacing !== null) reserved = reserved.minus(reservedBuyingPower([replacing], price));
  const refusal = checkOrder(
    spec,
    {
      now,
      account: account.snapshot(),
      position: ledger.position(spec.symbol).qty,
      referencePrice: quote ? (spec.side === 'buy' ? quote.ask : quote.bid) : price(spec.symbol),
      // The guards read open orders only to count a sell's pending sells in its symbol.
      openOrders: spec.side === 'sell' ? others(engine.openOrders(spec.symbol)) : [],
      // Only duplicate suppression reads them, and walking every order ever placed is not free.
      recentOrders:
        account.limits.duplicateWindowMs > 0
          ? others(engine.allOrders().filter((o) => o.submittedAt >= now - RECENT_ORDERS_MS))
          : [],
      wouldDayTrade: ledger.dayTrades.wouldDayTrade(spec.symbol, now),
    },
    account.limits,
    reserved,
  );
  if (refusal) throw refusalError(refusal);
}

/** The order a replacement leaves working, as the guards read a new order (its legs already work). */
function specOf(order: Order): OrderSpec {
  return {
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    qty: order.qty,
    notional: order.notional,
    limitPrice: order.limitPrice,
    stopPrice: order.stopPrice,
    trailPrice: order.trailPrice,
    trailPercent: order.trailPercent,
    extendedHours: order.extendedHours,
    clientOrderId: order.clientOrderId,
    orderClass: 'simple',
    takeProfit: null,
    stopLoss: null,
  };
}

function unknownSymbol(symbol: string): DomainError {
  return new DomainError('TRADING_UNKNOWN_SYMBOL', `symbol: asset "${symbol}" not found`, {
    field: 'symbol',
  });
}

function orderNotFoundThrow(id: string): never {
  throw orderNotFound(id);
}

/** A placement waiting for its account's queue. */
interface Pending {
  readonly request: NewOrderRequest;
  readonly resolve: (order: Order) => void;
  readonly reject: (error: unknown) => void;
}

/** At most this many placements wait per account; more are refused (429) rather than queued. */
const MAX_WAITING = 1_000;
/** At most this many orders are committed in one transaction. */
const MAX_BATCH = 64;
const waiting = new WeakMap<PaperAccount, Pending[]>();

/**
 * Places an order through the account's guards; answers only after it is committed. Orders that arrive
 * while the account is busy are placed together (group commit): each passes the guards in turn against
 * the books as the earlier ones left them, and all are committed, with their audit rows, in one
 * transaction before any is acknowledged.
 */
export function placeOrder(account: PaperAccount, request: NewOrderRequest): Promise<Order> {
  let queue = waiting.get(account);
  if (!queue) waiting.set(account, (queue = []));
  if (queue.length >= MAX_WAITING)
    return Promise.reject(
      new DomainError('TRADING_ORDER_QUEUE_FULL', 'too many orders are waiting to be placed; retry shortly'),
    );
  const placed = new Promise<Order>((resolve, reject) => queue.push({ request, resolve, reject }));
  if (queue.length === 1) void account.run(() => drain(account));
  return placed;
}

/** Places what is waiting: one order alone, several as a group commit. */
async function drain(account: PaperAccount): Promise<void> {
  const queue = waiting.get(account) ?? [];
  const batch = queue.splice(0, MAX_BATCH);
  if (queue.length > 0) void account.run(() => drain(account));
  if (batch.length === 1) {
    const [only] = batch;
    if (only) await placeNow(account, only.request).then(only.resolve, only.reject);
    return;
  }
  // Whatever went wrong outside each order's own outcome fails the ones not answered yet.
  await placeMany(account, batch).catch((error: unknown) => {
    for (const pending of batch) pending.reject(error);
  });
}

/** A placement that passed the guards and is in the engine, waiting for the commit. */
interface Accepted {
  readonly pending: Pending;
  readonly group: Order[];
  readonly out: EngineOutput;
}

async function placeMany(account: PaperAccount, batch: readonly Pending[]): Promise<void> {
  const { deps, engine } = account;
  const now = deps.now();
  const orders = deps.store.orders(account.id);
  const specs = new Map<Pending, OrderSpec>();
  for (const pending of batch) {
    const checked = validateOrder(pending.request);
    if (!checked.ok) pending.reject(refusalError(checked.refusal));
    else if (!deps.isKnownSymbol(checked.value.symbol)) pending.reject(unknownSymbol(checked.value.symbol));
    else specs.set(pending, checked.value);
  }
  // Every symbol's latest quote first, in one step: nothing below may commit before the group does.
  const symbols = new Set([...specs.values()].map((s) => s.symbol));
  await account.step(() => merge([...symbols].map((s) => account.seed(s))));
  const accepted: Accepted[] = [];
  const claimed = new Set<string>();
  const alone: Pending[] = [];
  for (const [pending, spec] of specs) {
    const cid = spec.clientOrderId;
    // Retries, repeats within the group, and everything after a fill (the ledger learns of fills at
    // commit) are placed one by one after the group.
    if (
      (cid !== null && (claimed.has(cid) || account.knowsClientOrderId(cid))) ||
      accepted.some((a) => a.out.fills.length > 0)
    ) {
      alone.push(pending);
      continue;
    }
    try {
      const group = check(account, spec, now);
      accepted.push({ pending, group, out: engine.submit(group, now) });
      if (cid !== null) claimed.add(cid);
    } catch (error) {
      const first =
        error instanceof DomainError && cid !== null
          ? await orders.getByClientId(cid).catch(() => null)
          : null;
      if (first) await firstOrConflict(first, spec, orders).then(pending.resolve, pending.reject);
      else pending.reject(error);
    }
  }
  try {
    if (accepted.length > 0)
      await account.step(() => merge(accepted.map((a) => a.out)), {
        insert: () => accepted.flatMap((a) => a.group.map((o) => account.storedOrder(o.id) ?? o)),
      });
  } catch {
    // The group rolled back (and the books were rebuilt): place each on its own, which sorts out who
    // was first for a client_order_id and reports each one's own failure.
    alone.unshift(...accepted.map((a) => a.pending));
    accepted.length = 0;
  }
  for (const { pending, group } of accepted) {
    account.rememberClientOrderIds(group);
    const head = group[0];
    if (head) pending.resolve(account.storedOrder(head.id) ?? head);
  }
  for (const pending of alone) await placeNow(account, pending.request).then(pending.resolve, pending.reject);
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
    // The order it would leave working passes the same guards as a new order, without the one it replaces.
    const now = account.deps.now();
    const made = replacementOf(old, changes, newId, now);
    if (!made.ok) throw refusalError(made.refusal);
    guardAgainstBooks(account, specOf(made.value), now, old);
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
