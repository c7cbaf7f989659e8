import { type Clock, DomainError, Money } from '../kernel/index.js';
import type { Quote, Trade } from '../market-data/index.js';
import {
  type AccountKind,
  AccountLedger,
  netOfHeldBuyingPower,
  type AccountSnapshot,
  type PositionSnapshot,
} from './account/account-ledger.js';
import type { Broker, CancelResult, TradeUpdate } from './broker.js';
import { createOrders } from './create-order.js';
import type { EngineOutput } from './matching/fill.js';
import type { FillModel } from './matching/fill-model.js';
import { MatchingEngine } from './matching/matching-engine.js';
import { timeInForceWindowRefusal } from './matching/session-rules.js';
import { isOpen, type Order } from './order.js';
import type { NewOrderRequest, ReplaceOrderRequest } from './order-request.js';
import type { OrderFilter, OrderStore } from './order-store.js';
import { refusalError } from './refusal.js';
import { checkOrder, reservedBuyingPower } from './risk/check-order.js';
import { type RiskLimits, ordersToCancel, riskLimits } from './risk/risk-limits.js';
import { validateOrder } from './validate-order.js';

/** What a paper broker is built from. */
export interface PaperBrokerOptions {
  readonly clock: Clock;
  readonly orders: OrderStore;
  readonly account?: { readonly kind?: AccountKind; readonly cash?: Money };
  readonly fillModel?: Partial<FillModel>;
  readonly risk?: Partial<RiskLimits>;
  /** Order ids; a counter by default (inject UUIDs in production). */
  readonly newId?: () => string;
}

const RECENT_MS = 10 * 60_000;

/**
 * A pure paper brokerage: validates like Alpaca, runs every order through the risk guards, matches it in the
 * {@link MatchingEngine}, books fills on an {@link AccountLedger} and records orders in an OrderStore.
 * Feed it market data with onQuote/onTrade/onClock. Starts with $100,000 cash in a margin account.
 */
export class PaperBroker implements Broker {
  readonly engine: MatchingEngine;
  readonly ledger: AccountLedger;
  private limits: RiskLimits;
  private readonly listeners = new Set<(u: TradeUpdate) => void>();
  private readonly newId: () => string;

  constructor(private readonly options: PaperBrokerOptions) {
    this.engine = new MatchingEngine({ fillModel: options.fillModel ?? {} });
    this.ledger = new AccountLedger(
      options.account?.kind ?? 'margin',
      options.account?.cash ?? new Money(100_000),
    );
    this.limits = riskLimits(options.risk);
    let seq = 0;
    this.newId = options.newId ?? (() => `order-${++seq}`);
  }

  /** The risk limits in force. */
  get riskLimits(): RiskLimits {
    return this.limits;
  }

  /** Changes the risk limits; turning the kill switch on cancels every open order. */
  async setRiskLimits(overrides: Partial<RiskLimits>): Promise<CancelResult[]> {
    this.limits = { ...this.limits, ...overrides };
    const doomed = ordersToCancel(this.limits, this.engine.openOrders());
    return doomed.length > 0 ? this.cancelEach(doomed) : [];
  }

  async onQuote(quote: Quote): Promise<void> {
    this.ledger.rollDay(quote.t, this.marks);
    await this.record(this.engine.onQuote(quote));
  }

  async onTrade(trade: Trade): Promise<void> {
    this.ledger.rollDay(trade.t, this.marks);
    await this.record(this.engine.onTrade(trade));
  }

  async onClock(t: number): Promise<void> {
    this.ledger.rollDay(t, this.marks);
    await this.record(this.engine.onClock(t));
  }

  async submitOrder(request: NewOrderRequest): Promise<Order> {
    const now = this.options.clock.now();
    this.ledger.rollDay(now, this.marks);
    const checked = validateOrder(request);
    if (!checked.ok) throw refusalError(checked.refusal);
    const spec = checked.value;
    const clientOrderId = spec.clientOrderId ?? this.newId();
    if (await this.options.orders.getByClientId(clientOrderId))
      throw new DomainError('TRADING_CLIENT_ORDER_ID_CONFLICT', 'client_order_id must be unique', {
        clientOrderId,
      });
    const window = timeInForceWindowRefusal(spec, now);
    if (window) throw refusalError(window);
    const open = this.engine.openOrders();
    const quote = this.engine.quote(spec.symbol);
    const refusal = checkOrder(
      spec,
      {
        now,
        account: this.ledger.snapshot(now, this.marks),
        position: this.ledger.position(spec.symbol).qty,
        referencePrice: quote
          ? spec.side === 'buy'
            ? quote.ask
            : quote.bid
          : this.engine.lastPrice(spec.symbol),
        openOrders: open,
        // Only duplicate suppression reads them (off unless the limits set a window).
        recentOrders:
          this.limits.duplicateWindowMs > 0
            ? this.engine.allOrders().filter((o) => o.submittedAt >= now - RECENT_MS)
            : [],
        wouldDayTrade: this.ledger.dayTrades.wouldDayTrade(spec.symbol, now),
      },
      this.limits,
      reservedBuyingPower(open, (s) => this.engine.lastPrice(s)),
    );
    if (refusal) throw refusalError(refusal);
    const group = createOrders(spec, { id: this.newId(), clientOrderId, newId: this.newId }, now);
    for (const order of group) await this.options.orders.save(order);
    await this.record(this.engine.submit(group, now));
    for (const order of group) await this.sync(order.id);
    return this.current(group[0]?.id ?? '');
  }

  async getOrder(id: string): Promise<Order | null> {
    return this.options.orders.get(id);
  }

  async getOrderByClientId(clientOrderId: string): Promise<Order | null> {
    return this.options.orders.getByClientId(clientOrderId);
  }

  async listOrders(filter?: OrderFilter): Promise<Order[]> {
    return this.options.orders.list(filter);
  }

  async replaceOrder(id: string, changes: ReplaceOrderRequest): Promise<Order> {
    const newId = this.newId();
    if (changes.clientOrderId && (await this.options.orders.getByClientId(changes.clientOrderId)))
      throw new DomainError('TRADING_CLIENT_ORDER_ID_CONFLICT', 'client_order_id must be unique', {
        clientOrderId: changes.clientOrderId,
      });
    const out = this.engine.replace(id, changes, newId, this.options.clock.now());
    await this.record(out);
    for (const order of this.engine.allOrders())
      if (order.id === newId || order.legs.includes(newId) || order.parentId === newId)
        await this.sync(order.id);
    return this.current(newId);
  }

  async cancelOrder(id: string): Promise<void> {
    await this.record(this.engine.cancel(id, this.options.clock.now()));
  }

  async cancelAll(): Promise<CancelResult[]> {
    return this.cancelEach(this.engine.openOrders());
  }

  async getAccount(): Promise<AccountSnapshot> {
    return netOfHeldBuyingPower(
      this.ledger.snapshot(this.options.clock.now(), this.marks),
      this.engine.reservedBuyingPower((s) => this.engine.lastPrice(s)),
    );
  }

  async listPositions(): Promise<PositionSnapshot[]> {
    return this.ledger.positions(this.marks);
  }

  async closePosition(symbol: string, options: { qty?: Money; percentage?: Money } = {}): Promise<Order> {
    const held = this.ledger.position(symbol).qty;
    if (held.isZero())
      throw new DomainError('TRADING_POSITION_NOT_FOUND', 'position does not exist', { symbol });
    const pct = options.percentage
      ? held.abs().times(options.percentage).dividedBy(100).toDecimalPlaces(9, Money.ROUND_DOWN)
      : null;
    const qty = options.qty ?? pct ?? held.abs();
    return this.submitOrder({
      symbol,
      side: held.isNegative() ? 'buy' : 'sell',
      type: 'market',
      timeInForce: 'day',
      qty,
    });
  }

  onTradeUpdate(listener: (update: TradeUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private readonly marks = (symbol: string): Money | null => this.engine.lastPrice(symbol);

  private async cancelEach(orders: readonly Order[]): Promise<CancelResult[]> {
    const results: CancelResult[] = [];
    for (const order of orders) {
      const current = this.engine.get(order.id);
      if (!current || !isOpen(current)) continue;
      await this.record(this.engine.cancel(order.id, this.options.clock.now()));
      results.push({ id: order.id, status: 200 });
    }
    return results;
  }

  private current(id: string): Order {
    const order = this.engine.get(id);
    if (!order) throw new DomainError('TRADING_ORDER_NOT_FOUND', `order not found: ${id}`, { id });
    return order;
  }

  private async sync(id: string): Promise<void> {
    const order = this.engine.get(id);
    if (order) await this.options.orders.save(order);
  }

  /** Books fills, stores every changed order, then tells listeners, in the engine's order. */
  private async record(out: EngineOutput): Promise<void> {
    for (const update of out.updates) {
      const fill = update.fill;
      if (fill) this.ledger.apply(fill);
      await this.options.orders.save(update.order);
      const message: TradeUpdate = {
        event: update.event,
        order: update.order,
        timestamp: update.t,
        executionId: fill?.id ?? null,
        price: fill?.price ?? null,
        qty: fill?.qty ?? null,
        positionQty: fill ? this.ledger.position(fill.symbol).qty : null,
        fill,
      };
      for (const listener of this.listeners) {
        try {
          listener(message);
        } catch {
          // A failing listener must not stop the books; its owner logs its own errors.
        }
      }
    }
    // Silent changes (a trailing stop's hwm, a resized or re-parented leg) are stored too: the open orders changed
    // since the last step and not already stored as an update above, not every open order on every quote.
    const stored = new Set(out.updates.map((u) => u.order));
    for (const order of this.engine.takeChangedOpenOrders())
      if (!stored.has(order)) await this.options.orders.save(order);
    // The store keeps every order; the engine needs the open ones and the recent closed ones the guards read.
    this.engine.forgetClosedBefore(this.options.clock.now() - RECENT_MS);
  }
}
