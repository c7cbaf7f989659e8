import type { Money } from '../../kernel/index.js';
import { type Order, type OrderStatus, isOpen } from '../order.js';
import { type OrderEvent, transition } from '../order-status.js';
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

/** Every order the engine knows, the work state of open ones, and the output of the current step. */
export class WorkingOrders {
  private readonly orders = new Map<string, Order>();
  private readonly work = new Map<string, WorkState>();
  private out: EngineOutput = { fills: [], updates: [] };

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
    this.orders.set(order.id, order);
    if (state) this.work.set(order.id, state);
    if (!isOpen(order)) this.work.delete(order.id);
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
    if (order && isOpen(order)) this.orders.set(id, { ...order, qty, updatedAt: t });
  }

  /** Records a field change (the trailing stop's hwm and stop) without an event. */
  patch(id: string, fields: Partial<Order>): void {
    const order = this.orders.get(id);
    if (order) this.orders.set(id, { ...order, ...fields });
  }

  /** Open orders, optionally for one symbol, in submission order. */
  open(symbol?: string): Order[] {
    const out: Order[] = [];
    for (const id of this.work.keys()) {
      const order = this.orders.get(id);
      if (order && (!symbol || order.symbol === symbol)) out.push(order);
    }
    return out;
  }

  /** Every order known, in submission order. */
  all(): Order[] {
    return [...this.orders.values()];
  }

  /** Returns and clears what this step produced. */
  take(): EngineOutput {
    const out = this.out;
    this.out = { fills: [], updates: [] };
    return out;
  }
}
