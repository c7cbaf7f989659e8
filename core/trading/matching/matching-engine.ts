import { DomainError, Money, moneyOfNumber } from '../../kernel/index.js';
import { type Quote, type Trade, exchangeDate } from '../../market-data/index.js';
import { type Order, isOpen } from '../order.js';
import { type Refusal, refuse, refusalError } from '../refusal.js';
import { type EngineOutput, type Fill } from './fill.js';
import { type FillModel, commissionFor, fillModel, takerPrice } from './fill-model.js';
import { cancelGroup, cancelSiblings, settleGroup } from './order-groups.js';
import type { ReplaceOrderRequest } from '../order-request.js';
import { replacementOf } from './replace.js';
import { canExecute, expiryOf, phaseOf } from './session-rules.js';
import { limitReached, marketable, stopTriggered, trailStop } from './triggers.js';
import { type WorkState, WorkingOrders, readyByType } from './working-orders.js';

/** Options of the paper matching engine. */
export interface MatchingEngineOptions {
  readonly fillModel?: Partial<FillModel>;
  /** Execution ids (Alpaca's execution_id); a counter by default so runs are reproducible. */
  readonly newExecutionId?: () => string;
}

/** The top of book the engine fills against; `*Left` is displayed size not yet taken by Pulse's own orders. */
interface Top {
  readonly bid: Money;
  readonly ask: Money;
  bidLeft: Money;
  askLeft: Money;
}

const INFINITE = new Money(Infinity);
const NOTIONAL_QTY_DECIMALS = 9;

/** The order type's own condition to take the quote (see MatchingEngine.takes). */

/**
 * A pure paper matching engine: feed it orders and market events, it returns fills and Alpaca-style order
 * updates. Buys take the ask and sells the bid (never better); resting limits fill only when a trade prints
 * through them; stops trigger on trades; sessions, TIF, legs and the fill model apply.
 */
export class MatchingEngine {
  readonly model: FillModel;
  private readonly w = new WorkingOrders();
  private readonly tops = new Map<string, Top>();
  private readonly lastTrades = new Map<string, Money>();
  private readonly openedOn = new Map<string, string>();
  private readonly newExecutionId: () => string;

  constructor(options: MatchingEngineOptions = {}) {
    this.model = fillModel(options.fillModel);
    let seq = 0;
    this.newExecutionId = options.newExecutionId ?? (() => `exec-${++seq}`);
  }

  /** The order with this id (any status). */
  get(id: string): Order | undefined {
    return this.w.get(id);
  }

  /** Open orders, optionally for one symbol. */
  openOrders(symbol?: string): Order[] {
    return this.w.open(symbol);
  }

  /** Every order the engine has seen. */
  allOrders(): Order[] {
    return this.w.all();
  }

  /**
   * Forgets the orders that closed before `before` (a group's members once the whole group has closed); answers
   * how many. For callers that keep orders elsewhere (the server's paper accounts store every one): without it
   * the engine holds every order it ever saw, and memory grows with every order placed.
   */
  forgetClosedBefore(before: number): number {
    return this.w.forgetClosed(before);
  }

  /** The symbols with open orders. */
  openSymbols(): Set<string> {
    return this.w.symbols();
  }

  /**
   * Buying power held by the open entry orders (equal to `reservedBuyingPower(openOrders(), reference)`),
   * kept as orders change: a new order does not walk the book.
   */
  reservedBuyingPower(reference: (symbol: string) => Money | null): Money {
    return this.w.held.total(reference);
  }

  /** Open orders changed in any way (events, fills, silent patches) since the last call. */
  takeChangedOpenOrders(): Order[] {
    return this.w.takeChanged();
  }

  /** The latest trade price, or the quote midpoint when no trade has printed yet. */
  lastPrice(symbol: string): Money | null {
    const top = this.tops.get(symbol);
    return this.lastTrades.get(symbol) ?? (top ? top.bid.plus(top.ask).dividedBy(2) : null);
  }

  /** The latest quote as exact decimals. */
  quote(symbol: string): { bid: Money; ask: Money } | null {
    const top = this.tops.get(symbol);
    return top ? { bid: top.bid, ask: top.ask } : null;
  }

  /** Accepts a validated order and its legs (status `accepted`); the entry works at once if the session allows. */
  submit(group: readonly Order[], t: number): EngineOutput {
    this.housekeep(t);
    for (const order of group) {
      const leg = order.parentId !== null;
      const armed = !leg || order.orderClass === 'oco';
      const last = this.lastTrades.get(order.symbol);
      const seeded = order.type === 'trailing_stop' && last ? this.seedTrail(order, last) : order;
      this.w.put(seeded, {
        activeAt: t + this.model.latencyMs,
        expiresAt: armed ? expiryOf(order, t) : null,
        triggered: false,
        armed,
        worked: false,
      });
      this.route(seeded, t);
    }
    const first = group[0];
    if (first) this.sweep(first.symbol, t);
    return this.w.take();
  }

  /** Cancels an open order and the rest of its group; refuses unknown or finished orders. */
  cancel(id: string, t: number): EngineOutput {
    this.housekeep(t);
    const order = this.w.get(id);
    if (!order) throw new DomainError('TRADING_ORDER_NOT_FOUND', `order not found: ${id}`, { id });
    if (!isOpen(order)) throw refusalError(notCancelable(order));
    const canceled = this.w.apply(id, { type: 'canceled', t });
    cancelGroup(this.w, canceled, t);
    return this.w.take();
  }

  /** Replaces an open order with a new one (new id, `replaces`), the old one ends `replaced`. */
  replace(id: string, changes: ReplaceOrderRequest, newId: string, t: number): EngineOutput {
    this.housekeep(t);
    const old = this.w.get(id);
    const state = this.w.state(id);
    if (!old || !state) throw new DomainError('TRADING_ORDER_NOT_FOUND', `order not found: ${id}`, { id });
    const made = replacementOf(old, changes, newId, t);
    if (!made.ok) throw refusalError(made.refusal);
    this.w.apply(id, { type: 'replaced', t, by: newId });
    const next = made.value;
    const expiresAt =
      next.timeInForce === old.timeInForce ? state.expiresAt : state.armed ? expiryOf(next, t) : null;
    this.w.put(next, { ...state, activeAt: t + this.model.latencyMs, expiresAt, worked: false });
    if (old.parentId) {
      const parent = this.w.get(old.parentId);
      if (parent) this.w.patch(parent.id, { legs: parent.legs.map((leg) => (leg === id ? newId : leg)) });
    }
    for (const leg of old.legs) this.w.patch(leg, { parentId: newId });
    if (old.status === 'held') this.w.apply(newId, { type: 'held', t });
    else this.route(next, t);
    this.sweep(next.symbol, t);
    return this.w.take();
  }

  /** A new NBBO quote: expire and route by the clock, then let marketable orders take the quote. */
  onQuote(q: Quote): EngineOutput {
    const t = q.t;
    this.housekeep(t);
    const size = (n: number) => (this.model.partialFills === 'never' ? INFINITE : moneyOfNumber(n));
    this.tops.set(q.symbol, {
      bid: moneyOfNumber(q.bidPrice),
      ask: moneyOfNumber(q.askPrice),
      bidLeft: size(q.bidSize),
      askLeft: size(q.askSize),
    });
    const top = this.tops.get(q.symbol);
    if (top && this.isOpening(q.symbol, t))
      this.openingCross(q.symbol, t, (side) => (side === 'buy' ? top.ask : top.bid));
    this.sweep(q.symbol, t);
    return this.w.take();
  }

  /** A trade print: trailing stops move, stops trigger, resting limits traded through fill at their price. */
  onTrade(trade: Trade): EngineOutput {
    const t = trade.t;
    this.housekeep(t);
    const price = moneyOfNumber(trade.price);
    this.lastTrades.set(trade.symbol, price);
    if (this.isOpening(trade.symbol, t)) this.openingCross(trade.symbol, t, () => price);
    // Only untriggered stops can trigger (trigger() ignores every other order).
    for (const order of this.w.untriggeredStops(trade.symbol)) this.trigger(order, price, t);
    this.sweep(trade.symbol, t);
    let left = this.model.partialFills === 'never' ? INFINITE : moneyOfNumber(trade.size);
    // Only limits the print reaches can fill (the book keeps them best first); in submission order.
    for (const order of this.w.limitsReachedBy(trade.symbol, price)) {
      const state = this.w.state(order.id);
      const limit = order.limitPrice;
      if (!state || !limit || !this.resting(order, state, t) || left.lte(0)) continue;
      if (!limitReached(order.side, limit, price, this.model.touchFills)) continue;
      const qty = Money.min(remaining(order), left);
      left = left.minus(qty);
      this.fill(order, qty, limit, limit, 'maker', t);
    }
    return this.w.take();
  }

  /** The clock moved: expire what is due, route queued orders at the open, and work orders whose latency passed. */
  onClock(t: number): EngineOutput {
    this.housekeep(t);
    for (const symbol of new Set(this.w.open().map((o) => o.symbol))) this.sweep(symbol, t);
    return this.w.take();
  }

  private seedTrail(order: Order, price: Money): Order {
    const { hwm, stop } = trailStop(order, price);
    return { ...order, hwm, stopPrice: stop };
  }

  /** accepted → new when the order may execute now (held for legs); otherwise it stays queued. */
  private route(order: Order, t: number): void {
    if (order.parentId !== null) this.w.apply(order.id, { type: 'held', t });
    else if (canExecute(order, t) || order.timeInForce === 'opg' || order.timeInForce === 'cls')
      this.w.apply(order.id, { type: 'new', t });
  }

  private housekeep(t: number): void {
    // Nothing due and nothing queued: the common case on every market event, without walking the book.
    if (!this.w.needsHousekeeping(t)) return;
    for (const order of this.w.open()) {
      const state = this.w.state(order.id);
      if (!state) continue;
      if (state.expiresAt !== null && t >= state.expiresAt) this.expire(order, t);
      else if (order.status === 'accepted' && canExecute(order, t))
        this.w.apply(order.id, { type: 'new', t });
    }
    this.w.refreshExpiry();
  }

  private expire(order: Order, t: number): void {
    if (order.timeInForce === 'cls') {
      const top = this.tops.get(order.symbol);
      if (top && order.status !== 'accepted') this.cross(order, order.side === 'buy' ? top.ask : top.bid, t);
    }
    const current = this.w.get(order.id);
    if (!current || !isOpen(current)) return;
    const ended = this.w.apply(order.id, {
      type: order.timeInForce === 'cls' || order.timeInForce === 'opg' ? 'canceled' : 'expired',
      t,
    });
    settleGroup(this.w, ended, t, expiryOf);
  }

  private isOpening(symbol: string, t: number): boolean {
    if (phaseOf(t) !== 'regular') return false;
    const date = exchangeDate(t);
    const opening = this.openedOn.get(symbol) !== date;
    this.openedOn.set(symbol, date);
    return opening;
  }

  /** opg orders execute whole at the first regular-session price of the day, or are canceled. */
  private openingCross(symbol: string, t: number, priceFor: (side: Order['side']) => Money): void {
    for (const order of this.w.open(symbol)) {
      const state = this.w.state(order.id);
      if (order.timeInForce !== 'opg' || !state || state.activeAt > t) continue;
      this.cross(order, priceFor(order.side), t);
      const current = this.w.get(order.id);
      if (current && isOpen(current)) this.w.apply(order.id, { type: 'canceled', t });
    }
  }

  /** An auction fill (opening or closing): the whole remainder at the reference price if within the limit. */
  private cross(order: Order, reference: Money, t: number): void {
    if (!marketable(order.side, order.limitPrice, reference)) return;
    const price = takerPrice(order.side, reference, this.model, order.limitPrice);
    this.fill(order, this.qtyAt(order, price), price, reference, 'taker', t);
  }

  private trigger(order: Order, price: Money, t: number): void {
    const state = this.w.state(order.id);
    const stopType = order.type === 'stop' || order.type === 'stop_limit' || order.type === 'trailing_stop';
    if (
      !state ||
      !stopType ||
      state.triggered ||
      !state.armed ||
      state.activeAt > t ||
      phaseOf(t) !== 'regular'
    )
      return;
    let stop = order.stopPrice;
    if (order.type === 'trailing_stop') {
      const moved = trailStop(order, price);
      // Only a move is a change: an unchanged order keeps its identity (nothing to store).
      if (!order.hwm?.eq(moved.hwm) || !order.stopPrice?.eq(moved.stop))
        this.w.patch(order.id, { hwm: moved.hwm, stopPrice: moved.stop });
      stop = moved.stop;
    }
    if (!stop || !stopTriggered(order.side, stop, price)) return;
    state.triggered = true;
    state.worked = false;
    this.w.refreshIndexes(order.id);
    const current = this.w.get(order.id) ?? order;
    if (current.status === 'held') this.w.apply(order.id, { type: 'new', t });
    if (current.role === 'stop_loss') cancelSiblings(this.w, current, t);
  }

  /** Lets every eligible order of `symbol` take the quote, then ends ioc/fok orders that had their chance. */
  private sweep(symbol: string, t: number): void {
    const top = this.tops.get(symbol);
    if (!top) return;
    // Only orders ready by type can take the quote (the rest would be skipped one by one); in submission order.
    const candidates = this.w.sweepCandidates(symbol);
    for (const order of candidates) {
      const state = this.w.state(order.id);
      if (!state || !this.takes(order, state, t)) continue;
      state.worked = true;
      this.w.refreshIndexes(order.id);
      const reference = order.side === 'buy' ? top.ask : top.bid;
      const limit = order.type === 'limit' || order.type === 'stop_limit' ? order.limitPrice : null;
      if (reference.lte(0) || !marketable(order.side, limit, reference)) continue;
      const price = takerPrice(order.side, reference, this.model, limit);
      const available = order.side === 'buy' ? top.askLeft : top.bidLeft;
      const wanted = this.qtyAt(order, price);
      if (order.timeInForce === 'fok' && available.lt(wanted)) continue;
      const qty = order.notional ? wanted : Money.min(wanted, available);
      if (qty.lte(0)) continue;
      if (order.side === 'buy') top.askLeft = top.askLeft.minus(qty);
      else top.bidLeft = top.bidLeft.minus(qty);
      this.fill(order, qty, price, reference, 'taker', t);
    }
    // An ioc/fok order worked now and still open had its chance: it ends. (One worked earlier ended then.)
    for (const order of candidates) {
      const state = this.w.state(order.id);
      if (state?.worked && (order.timeInForce === 'ioc' || order.timeInForce === 'fok'))
        this.w.apply(order.id, { type: 'canceled', t });
    }
  }

  /** True when the order may take the quote now. */
  private takes(order: Order, state: WorkState, t: number): boolean {
    // The cheap per-type test first: a resting limit that had its chance is most of a book.
    if (!readyByType(order, state)) return false;
    if (order.status === 'accepted' || order.status === 'held' || !state.armed) return false;
    return (
      state.activeAt <= t &&
      canExecute(order, t) &&
      order.timeInForce !== 'opg' &&
      order.timeInForce !== 'cls'
    );
  }

  /** True when a limit order rests in the book and may be filled by a trade through its price. */
  private resting(order: Order, state: WorkState, t: number): boolean {
    const limitType = order.type === 'limit' || (order.type === 'stop_limit' && state.triggered);
    const auction = order.timeInForce === 'opg' || order.timeInForce === 'cls';
    const quoted = state.worked || !this.tops.has(order.symbol);
    return (
      limitType &&
      quoted &&
      state.armed &&
      !auction &&
      state.activeAt <= t &&
      canExecute(order, t) &&
      order.status !== 'held'
    );
  }

  private qtyAt(order: Order, price: Money): Money {
    if (order.notional)
      return order.notional.dividedBy(price).toDecimalPlaces(NOTIONAL_QTY_DECIMALS, Money.ROUND_DOWN);
    return remaining(order);
  }

  private fill(
    order: Order,
    qty: Money,
    price: Money,
    reference: Money,
    liquidity: Fill['liquidity'],
    t: number,
  ): void {
    if (qty.lte(0)) return;
    const commission = commissionFor(this.model.commission, order.filledQty, qty, order.commission);
    const fill: Fill = {
      id: this.newExecutionId(),
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      qty,
      price,
      t,
      referencePrice: reference,
      liquidity,
      slippageBps: liquidity === 'taker' ? this.model.slippageBps : 0,
      latencyMs: t - order.submittedAt,
      commission,
    };
    const next = this.w.apply(
      order.id,
      { type: 'fill', t, qty, price, commission, complete: order.notional !== null },
      fill,
    );
    settleGroup(this.w, next, t, expiryOf);
  }
}

function remaining(order: Order): Money {
  return (order.qty ?? order.filledQty).minus(order.filledQty);
}

function notCancelable(order: Order): Refusal {
  return refuse('TRADING_ORDER_NOT_CANCELABLE', `order is already in "${order.status}" state`, {
    id: order.id,
    status: order.status,
  });
}
