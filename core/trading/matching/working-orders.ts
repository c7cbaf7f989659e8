import type { Money } from '../../kernel/index.js';
import { type Order, type OrderStatus, isOpen } from '../order.js';
import { type OrderEvent, transition } from '../order-status.js';
import { HeldBuyingPower } from '../risk/held-buying-power.js';
import type { EngineOutput, Fill, TradeUpdateEvent } from './fill.js';

/** The engine's private state for one open order. */
export interface WorkState {
  /** Market events before this instant are not seen by the order (submission + latency). */
  readonly activeAt: number;
  expiresAt: number | null;
  /** A stop or trailing stop has been triggered (it now works as a market or limit order). */
  triggered: boolean;
  /** A held bracket/OTO/OCO leg is live (its entry has filled). */
  armed: boolean;
  /** The order has had its first chance to execute (ioc/fok decide then; limits may take the quote then). */
  worked: boolean;
}

const SILENT: ReadonlySet<OrderStatus> = new Set(['held']);

/**
 * True when the order's type lets it take the quote now: a market order, a limit or triggered stop-limit
 * that has not had its chance yet, a triggered stop. Most of a book is neither (resting limits already
 * worked, untriggered stops): they wait for trades, not quotes.
 */
export function readyByType(order: Order, state: WorkState): boolean {
  switch (order.type) {
    case 'market':
      return true;
    case 'limit':
      return !state.worked;
    case 'stop_limit':
      return state.triggered && !state.worked;
    default:
      return state.triggered;
  }
}

/**
 * Every order the engine knows, the work state of open ones, and the output of the current step. Open
 * orders are also indexed by symbol, with the ones still `accepted` and the earliest expiry, so a market
 * event costs the orders of its symbol rather than every open order; and within a symbol by what a market
 * event can do to them (take the quote, trigger, fill as a resting limit a print reaches), so an event costs
 * the orders it can move rather than the symbol's whole book. It also keeps the buying power the
 * open orders hold and the ids of orders changed since the caller last asked (see {@link takeChanged}).
 */
export class WorkingOrders {
  private readonly orders = new Map<string, Order>();
  private readonly work = new Map<string, WorkState>();
  private readonly bySymbol = new Map<string, Map<string, WorkState>>();
  private readonly accepted = new Set<string>();
  /** Per symbol, the open orders {@link readyByType} (the only ones a sweep of the quote can move). */
  private readonly sweepable = new Map<string, Set<string>>();
  /** Per symbol, the open stop, stop-limit and trailing-stop orders not triggered yet (what a trade may trigger). */
  private readonly untriggered = new Map<string, Set<string>>();
  /** Per symbol and side, the open orders with a limit price, best first (buys high to low, sells low to high). */
  private readonly limits = new Map<string, { buy: LimitEntry[]; sell: LimitEntry[] }>();
  /** Each id's place in submission order (a sweep visits orders in it, as the book lists them). */
  private readonly seq = new Map<string, number>();
  private nextSeq = 0;
  private earliestExpiry = Infinity;
  private out: EngineOutput = { fills: [], updates: [] };
  private readonly changed = new Set<string>();
  /** Orders as they closed, oldest first from `closedHead`, with when: what {@link forgetClosed} may drop. */
  private closed: { readonly id: string; readonly t: number }[] = [];
  private closedHead = 0;
  /** Buying power held by the open orders (the ones with a work state). */
  readonly held = new HeldBuyingPower();

  /** The order with this id, if known. */
  get(id: string): Order | undefined {
    return this.orders.get(id);
  }

  /** The work state of an open order. */
  state(id: string): WorkState | undefined {
    return this.work.get(id);
  }

  /** Stores an order (and its work state while open) without emitting an event. */
  put(order: Order, state?: WorkState): void {
    const before = this.orders.get(order.id);
    if (!isOpen(order) && (before === undefined || isOpen(before)))
      this.closed.push({ id: order.id, t: order.updatedAt });
    this.orders.set(order.id, order);
    this.changed.add(order.id);
    if (state) {
      this.work.set(order.id, state);
      let symbol = this.bySymbol.get(order.symbol);
      if (!symbol) this.bySymbol.set(order.symbol, (symbol = new Map()));
      if (!symbol.has(order.id)) {
        this.seq.set(order.id, this.nextSeq++);
        if (order.limitPrice) this.addLimit(order);
      }
      symbol.set(order.id, state);
      this.noteExpiry(state.expiresAt);
      this.refreshIndexes(order.id);
    }
    if (!isOpen(order)) {
      this.work.delete(order.id);
      this.bySymbol.get(order.symbol)?.delete(order.id);
      this.sweepable.get(order.symbol)?.delete(order.id);
      this.untriggered.get(order.symbol)?.delete(order.id);
      if (this.seq.has(order.id) && order.limitPrice) this.removeLimit(order);
      this.seq.delete(order.id);
      this.accepted.delete(order.id);
    } else if (order.status === 'accepted' && this.work.has(order.id)) this.accepted.add(order.id);
    else this.accepted.delete(order.id);
    this.held.set(order.id, this.work.has(order.id) ? order : undefined);
  }

  /** Replaces a known order in place (no event, same work state). */
  private change(order: Order): void {
    this.orders.set(order.id, order);
    this.changed.add(order.id);
    if (this.work.has(order.id)) this.held.set(order.id, order);
  }

  /** Tells the index an open order may now expire at `expiresAt` (a leg armed in place). */
  noteExpiry(expiresAt: number | null): void {
    if (expiresAt !== null && expiresAt < this.earliestExpiry) this.earliestExpiry = expiresAt;
  }

  /** True when some open order is due to expire at `t` or is still `accepted` (housekeeping has work). */
  needsHousekeeping(t: number): boolean {
    return t >= this.earliestExpiry || this.accepted.size > 0;
  }

  /** Recomputes the earliest expiry of the open orders (after a housekeeping pass). */
  refreshExpiry(): void {
    let earliest = Infinity;
    for (const state of this.work.values())
      if (state.expiresAt !== null && state.expiresAt < earliest) earliest = state.expiresAt;
    this.earliestExpiry = earliest;
  }

  /** Applies a lifecycle event, records the matching trade update, and returns the new order. */
  apply(id: string, event: OrderEvent, fill: Fill | null = null): Order {
    const order = this.orders.get(id);
    if (!order) throw new Error(`unknown order ${id}`);
    const next = transition(order, event);
    this.put(next);
    if (fill) this.out.fills.push(fill);
    if (!SILENT.has(next.status)) {
      const name: TradeUpdateEvent =
        event.type === 'fill'
          ? next.status === 'filled'
            ? 'fill'
            : 'partial_fill'
          : (next.status as TradeUpdateEvent);
      this.out.updates.push({ event: name, order: next, t: event.t, fill });
    }
    return next;
  }

  /** Changes an open order's quantity (a leg resized after its sibling's partial fill). */
  resize(id: string, qty: Money, t: number): void {
    const order = this.orders.get(id);
    if (order && isOpen(order)) this.change({ ...order, qty, updatedAt: t });
  }

  /** Records a field change (the trailing stop's hwm and stop) without an event. */
  patch(id: string, fields: Partial<Order>): void {
    const order = this.orders.get(id);
    if (order) this.change({ ...order, ...fields });
  }

  /** Re-indexes an open order after its work state's `worked` or `triggered` changed (sweeps and triggers read it). */
  refreshIndexes(id: string): void {
    const order = this.orders.get(id);
    const state = this.work.get(id);
    if (!order) return;
    const stopType = order.type === 'stop' || order.type === 'stop_limit' || order.type === 'trailing_stop';
    mark(this.sweepable, order.symbol, id, state !== undefined && readyByType(order, state));
    mark(this.untriggered, order.symbol, id, state !== undefined && stopType && !state.triggered);
  }

  /**
   * The open orders of `symbol` that can take the quote ({@link readyByType}), in submission order: what
   * `open(symbol)` would list with the rest (resting limits, untriggered stops) left out.
   */
  sweepCandidates(symbol: string): Order[] {
    return this.inSubmissionOrder(this.sweepable.get(symbol));
  }

  /** The open stop-type orders of `symbol` not triggered yet, in submission order. */
  untriggeredStops(symbol: string): Order[] {
    return this.inSubmissionOrder(this.untriggered.get(symbol));
  }

  /**
   * The open orders of `symbol` with a limit a trade at `price` reaches or touches (buys at or above it, sells
   * at or below), in submission order: the only ones a print can fill as resting limits.
   */
  limitsReachedBy(symbol: string, price: Money): Order[] {
    const book = this.limits.get(symbol);
    if (!book) return [];
    const ids = new Set<string>();
    for (const entry of book.buy) {
      if (entry.limit.lt(price)) break;
      ids.add(entry.id);
    }
    for (const entry of book.sell) {
      if (entry.limit.gt(price)) break;
      ids.add(entry.id);
    }
    return this.inSubmissionOrder(ids);
  }

  private addLimit(order: Order): void {
    const limit = order.limitPrice;
    if (!limit) return;
    let book = this.limits.get(order.symbol);
    if (!book) this.limits.set(order.symbol, (book = { buy: [], sell: [] }));
    const side = book[order.side];
    // Best first: a buy goes after every higher-or-equal limit, a sell after every lower-or-equal one.
    const before = (other: Money) => (order.side === 'buy' ? other.gte(limit) : other.lte(limit));
    let lo = 0;
    let hi = side.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before((side[mid] as LimitEntry).limit)) lo = mid + 1;
      else hi = mid;
    }
    side.splice(lo, 0, { limit, id: order.id });
  }

  private removeLimit(order: Order): void {
    const side = this.limits.get(order.symbol)?.[order.side];
    const at = side?.findIndex((entry) => entry.id === order.id) ?? -1;
    if (side && at >= 0) side.splice(at, 1);
  }

  private inSubmissionOrder(ids: ReadonlySet<string> | undefined): Order[] {
    if (!ids || ids.size === 0) return [];
    const ordered = [...ids];
    if (ordered.length > 1) ordered.sort((a, b) => (this.seq.get(a) ?? 0) - (this.seq.get(b) ?? 0));
    const out: Order[] = [];
    for (const id of ordered) {
      const order = this.orders.get(id);
      if (order) out.push(order);
    }
    return out;
  }

  /** Open orders, optionally for one symbol, in submission order. */
  open(symbol?: string): Order[] {
    const out: Order[] = [];
    const ids = symbol === undefined ? this.work.keys() : this.bySymbol.get(symbol)?.keys();
    if (!ids) return out;
    for (const id of ids) {
      const order = this.orders.get(id);
      if (order) out.push(order);
    }
    return out;
  }

  /** The symbols with open orders. */
  symbols(): Set<string> {
    const out = new Set<string>();
    for (const [symbol, open] of this.bySymbol) if (open.size > 0) out.add(symbol);
    return out;
  }

  /** Open orders stored, replaced or patched since the last call (changed without an event included). */
  takeChanged(): Order[] {
    const out: Order[] = [];
    for (const id of this.changed) {
      const order = this.work.has(id) ? this.orders.get(id) : undefined;
      if (order) out.push(order);
    }
    this.changed.clear();
    return out;
  }

  /** Every order known, in submission order. */
  all(): Order[] {
    return [...this.orders.values()];
  }

  /**
   * Drops the orders that closed before `before`, except members of a bracket, OTO or OCO group that still
   * has an open order (its legs and settling read them); answers how many were dropped. Without it the
   * engine keeps every order it ever saw. Walks only the orders due, oldest first.
   */
  forgetClosed(before: number): number {
    let forgotten = 0;
    const waiting: { readonly id: string; readonly t: number }[] = [];
    while (this.closedHead < this.closed.length) {
      const entry = this.closed[this.closedHead] as { readonly id: string; readonly t: number };
      if (entry.t >= before) break;
      this.closedHead += 1;
      const order = this.orders.get(entry.id);
      if (!order || isOpen(order)) continue;
      if (this.groupIsOpen(order)) waiting.push(entry);
      else {
        this.orders.delete(entry.id);
        this.changed.delete(entry.id);
        forgotten += 1;
      }
    }
    if (this.closedHead > 1_024 && this.closedHead * 2 > this.closed.length) {
      this.closed = this.closed.slice(this.closedHead);
      this.closedHead = 0;
    }
    // Asked again on a later call, once their group has closed.
    for (const entry of waiting) this.closed.push(entry);
    return forgotten;
  }

  private groupIsOpen(order: Order): boolean {
    if (order.orderClass === 'simple') return false;
    const root = (order.parentId === null ? undefined : this.orders.get(order.parentId)) ?? order;
    if (isOpen(root)) return true;
    return root.legs.some((id) => {
      const leg = this.orders.get(id);
      return leg !== undefined && isOpen(leg);
    });
  }

  /** Returns and clears what this step produced. */
  take(): EngineOutput {
    const out = this.out;
    this.out = { fills: [], updates: [] };
    return out;
  }
}

/** An open order's limit price in the per-side book. */
interface LimitEntry {
  readonly limit: Money;
  readonly id: string;
}

/** Adds `id` to (or removes it from) the symbol's set in `index`. */
function mark(index: Map<string, Set<string>>, symbol: string, id: string, member: boolean): void {
  let set = index.get(symbol);
  if (member) {
    if (!set) index.set(symbol, (set = new Set()));
    set.add(id);
  } else set?.delete(id);
}
