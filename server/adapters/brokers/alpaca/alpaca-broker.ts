import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Money } from '../../../../core/kernel/index.js';
import type {
  AccountSnapshot,
  Broker,
  CancelResult,
  DecimalInput,
  NewOrderRequest,
  Order,
  OrderFilter,
  PositionSnapshot,
  ReplaceOrderRequest,
  TradeUpdate,
} from '../../../../core/trading/index.js';
import { OrderTracker } from './order-tracker.js';
import { type RefusalFallback, refusalOf } from './refusal-of.js';
import { toAccount, toOrder, toPosition, toTradeUpdate } from './to-domain.js';
import { TradeUpdatesStream, type TradeUpdatesStreamOptions } from './trade-updates-stream.js';
import {
  AlpacaApiError,
  AlpacaTradingRestClient,
  AlpacaUnavailableError,
  type TradingCall,
  type TradingRestOptions,
} from './trading-rest-client.js';
import { WireAccount, WireCancelResult, WireOrder, WirePosition, type WireTradeUpdate } from './wire.js';

/** Options of the Alpaca broker: the Trading API, its trade_updates stream, and the broker's clock. */
export interface AlpacaBrokerOptions {
  rest: TradingRestOptions;
  stream: Omit<TradeUpdatesStreamOptions, 'keyId' | 'secretKey'>;
  /** The broker's time (Alpaca's wall clock; the simulated clock against `pulse sim`). */
  now?: () => number;
  /** Reports failures of background work (reconciliation) that no caller awaits. */
  onError?: (error: unknown) => void;
  /** The trade_updates stream refused the keys (it stops; retrying would not help). */
  onUnauthorized?: () => void;
}

/** Counters for metrics and tests. */
export interface AlpacaBrokerStats {
  reconciliations: number;
  /** Updates emitted by reconciliation rather than the stream. */
  synthesized: number;
  /** Stream messages dropped as duplicates or older than what was already reported. */
  dropped: number;
}

const dec = (v: DecimalInput | null | undefined): string | undefined =>
  v === null || v === undefined ? undefined : v.toString();
const iso = (t: number | undefined): string | undefined =>
  t === undefined ? undefined : new Date(t).toISOString();
const OrderList = z.array(WireOrder);
const PositionList = z.array(WirePosition);
const CancelList = z.array(WireCancelResult);
const CANCEL: RefusalFallback = { unprocessable: 'TRADING_ORDER_NOT_CANCELABLE' };
const REPLACE: RefusalFallback = { unprocessable: 'TRADING_ORDER_NOT_REPLACEABLE' };
const SUBMIT: RefusalFallback = { unprocessable: 'TRADING_INVALID_ORDER' };
const CLOSE: RefusalFallback = { unprocessable: 'TRADING_INVALID_ORDER', forbidden: 'TRADING_INVALID_QTY' };

/**
 * Core's Broker port over Alpaca's Trading API v2 (fetch) and trade_updates stream (ws). Trade updates are
 * reported exactly once: after a reconnect, open and recently closed orders are read over REST and any
 * change missed while disconnected is reported as a synthetic update; stream messages that repeat what
 * was reported are dropped.
 */
export class AlpacaBroker implements Broker {
  readonly stats: AlpacaBrokerStats = { reconciliations: 0, synthesized: 0, dropped: 0 };
  readonly rest: AlpacaTradingRestClient;
  private readonly stream: TradeUpdatesStream;
  private readonly listeners = new Set<(u: TradeUpdate) => void>();
  private readonly tracker = new OrderTracker();
  /** Leg id → parent id, learnt from nested answers (a leg read alone does not name its parent). */
  private readonly parents = new Map<string, string>();
  private readonly now: () => number;
  private startedAt = 0;
  private reconciling: Promise<void> = Promise.resolve();

  constructor(private readonly options: AlpacaBrokerOptions) {
    this.rest = new AlpacaTradingRestClient(options.rest);
    this.now = options.now ?? Date.now;
    this.stream = new TradeUpdatesStream(
      { ...options.stream, keyId: options.rest.keyId, secretKey: options.rest.secretKey },
      {
        onUpdate: (u) => this.onWireUpdate(u),
        // Every listen reconciles: after a reconnect, what the outage hid; on the first one, what changed
        // between start() and the stream listening (a restart's connection can take a while to open).
        onListening: () => {
          this.reconciling = this.reconcile().catch((e: unknown) => this.options.onError?.(e));
        },
        onDisconnect: (reason) => {
          if (reason === 'unauthorized') this.options.onUnauthorized?.();
        },
      },
    );
  }

  /** Connects the trade_updates stream; resolves once it listens. */
  start(): Promise<void> {
    this.startedAt = this.now();
    return this.stream.start();
  }

  /** Closes the stream. */
  stop(): void {
    this.stream.stop();
  }

  /** Resolves when the reconciliation in progress (if any) is done; for tests and shutdown. */
  settled(): Promise<void> {
    return this.reconciling;
  }

  /** Stream counters (connects, reconnects, malformed). */
  get streamStats(): TradeUpdatesStream['stats'] {
    return this.stream.stats;
  }

  async submitOrder(request: NewOrderRequest): Promise<Order> {
    // A client_order_id makes the POST safe to resolve after a lost answer: ask for it before retrying.
    const clientOrderId = request.clientOrderId ?? randomUUID();
    const call: TradingCall = { method: 'POST', path: '/v2/orders', body: orderBody(request, clientOrderId) };
    try {
      return this.order(await this.guard(() => this.rest.call(call, WireOrder), SUBMIT));
    } catch (error) {
      if (!(error instanceof AlpacaUnavailableError)) throw error;
      const placed = await this.getOrderByClientId(clientOrderId);
      if (placed) return placed;
      return this.order(await this.guard(() => this.rest.call(call, WireOrder), SUBMIT));
    }
  }

  async getOrder(id: string): Promise<Order | null> {
    return this.maybe(() =>
      this.rest.call(
        { method: 'GET', path: `/v2/orders/${encodeURIComponent(id)}`, query: { nested: 'true' } },
        WireOrder,
      ),
    );
  }

  async getOrderByClientId(clientOrderId: string): Promise<Order | null> {
    return this.maybe(() =>
      this.rest.call(
        {
          method: 'GET',
          path: '/v2/orders:by_client_order_id',
          query: { client_order_id: clientOrderId, nested: 'true' },
        },
        WireOrder,
      ),
    );
  }

  async listOrders(filter: OrderFilter = {}): Promise<Order[]> {
    const list = await this.rest.call(
      {
        method: 'GET',
        path: '/v2/orders',
        query: {
          status: filter.status ?? 'open',
          limit: String(filter.limit ?? 50),
          after: iso(filter.after),
          until: iso(filter.until),
          direction: filter.direction ?? 'desc',
          symbols: filter.symbols?.join(','),
          side: filter.side,
        },
      },
      OrderList,
    );
    return list.map((o) => this.order(o));
  }

  async replaceOrder(id: string, changes: ReplaceOrderRequest): Promise<Order> {
    const body = {
      qty: dec(changes.qty),
      time_in_force: changes.timeInForce ?? undefined,
      limit_price: dec(changes.limitPrice),
      stop_price: dec(changes.stopPrice),
      trail: dec(changes.trail),
      client_order_id: changes.clientOrderId ?? undefined,
    };
    const path = `/v2/orders/${encodeURIComponent(id)}`;
    return this.order(
      await this.guard(() => this.rest.call({ method: 'PATCH', path, body }, WireOrder), REPLACE),
    );
  }

  async cancelOrder(id: string): Promise<void> {
    await this.guard(
      () => this.rest.send({ method: 'DELETE', path: `/v2/orders/${encodeURIComponent(id)}` }),
      CANCEL,
    );
  }

  async cancelAll(): Promise<CancelResult[]> {
    return this.rest.call({ method: 'DELETE', path: '/v2/orders' }, CancelList);
  }

  async getAccount(): Promise<AccountSnapshot> {
    const [account, positions] = await Promise.all([
      this.rest.call({ method: 'GET', path: '/v2/account' }, WireAccount),
      this.listPositions(),
    ]);
    return toAccount(account, positions);
  }

  async listPositions(): Promise<PositionSnapshot[]> {
    return (await this.rest.call({ method: 'GET', path: '/v2/positions' }, PositionList)).map(toPosition);
  }

  async closePosition(symbol: string, options: { qty?: Money; percentage?: Money } = {}): Promise<Order> {
    const call: TradingCall = {
      method: 'DELETE',
      path: `/v2/positions/${encodeURIComponent(symbol)}`,
      query: { qty: options.qty?.toString(), percentage: options.percentage?.toString() },
      // Closing twice would sell twice: never repeat it blindly.
      idempotent: false,
    };
    return this.order(await this.guard(() => this.rest.call(call, WireOrder), CLOSE));
  }

  onTradeUpdate(listener: (update: TradeUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads open and recently closed orders and reports every change the stream did not deliver. */
  async reconcile(): Promise<void> {
    this.stats.reconciliations += 1;
    const since = this.tracker.lastChangeAt || this.startedAt;
    const [open, closed, positions] = await Promise.all([
      this.rest.call(
        { method: 'GET', path: '/v2/orders', query: { status: 'open', limit: '500' } },
        OrderList,
      ),
      this.rest.call(
        { method: 'GET', path: '/v2/orders', query: { status: 'closed', limit: '500' } },
        OrderList,
      ),
      this.listPositions(),
    ]);
    const snapshots = new Map<string, Order>();
    for (const o of [...open, ...closed]) snapshots.set(o.id, this.order(o));
    // A long-lived order can fall outside the latest 500 closed ones: read those one by one.
    for (const id of this.tracker.openIds()) {
      if (snapshots.has(id)) continue;
      const order = await this.getOrder(id);
      if (order) snapshots.set(id, order);
    }
    const held = new Map(positions.map((p) => [p.symbol, p.qty]));
    const missed = this.tracker.reconcile([...snapshots.values()], since, (s) => held.get(s) ?? new Money(0));
    this.stats.synthesized += missed.length;
    for (const update of missed) this.emit(update);
  }

  private onWireUpdate(wire: WireTradeUpdate): void {
    const update = toTradeUpdate(wire, this.parents.get(wire.order.id) ?? null);
    this.learnParents(wire.order);
    if (!update) return;
    if (!this.tracker.accept(update)) {
      this.stats.dropped += 1;
      return;
    }
    this.emit(update);
  }

  private emit(update: TradeUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch (error) {
        // A failing listener must not stop the others; its owner logs its own errors.
        this.options.onError?.(error);
      }
    }
  }

  private order(wire: WireOrder): Order {
    this.learnParents(wire);
    return toOrder(wire, this.parents.get(wire.id) ?? null);
  }

  private learnParents(wire: WireOrder): void {
    for (const leg of wire.legs ?? []) this.parents.set(leg.id, wire.id);
  }

  private async guard<T>(work: () => Promise<T>, fallback: RefusalFallback): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw refusalOf(error, fallback);
    }
  }

  /** A single-order read: 404, or 422 for an id that cannot be an order id, mean "no such order". */
  private async maybe(work: () => Promise<WireOrder>): Promise<Order | null> {
    try {
      return this.order(await work());
    } catch (error) {
      if (error instanceof AlpacaApiError && (error.status === 404 || error.status === 422)) return null;
      throw error;
    }
  }
}

function orderBody(r: NewOrderRequest, clientOrderId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    time_in_force: r.timeInForce,
    qty: dec(r.qty),
    notional: dec(r.notional),
    limit_price: dec(r.limitPrice),
    stop_price: dec(r.stopPrice),
    trail_price: dec(r.trailPrice),
    trail_percent: dec(r.trailPercent),
    extended_hours: r.extendedHours ?? false,
    client_order_id: clientOrderId,
    order_class: r.orderClass || undefined,
  };
  if (r.takeProfit) body.take_profit = { limit_price: dec(r.takeProfit.limitPrice) };
  if (r.stopLoss)
    body.stop_loss = { stop_price: dec(r.stopLoss.stopPrice), limit_price: dec(r.stopLoss.limitPrice) };
  return body;
}
