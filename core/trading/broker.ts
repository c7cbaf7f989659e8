import type { Money } from '../kernel/index.js';
import type { AccountSnapshot, PositionSnapshot } from './account/account-ledger.js';
import type { Fill, TradeUpdateEvent } from './matching/fill.js';
import type { Order } from './order.js';
import type { NewOrderRequest, ReplaceOrderRequest } from './order-request.js';
import type { OrderFilter } from './order-store.js';

/** One message of Alpaca's trade_updates stream; fill fields are set on fill and partial_fill. */
export interface TradeUpdate {
  readonly event: TradeUpdateEvent;
  readonly order: Order;
  readonly timestamp: number;
  readonly executionId: string | null;
  /** Price of this execution. */
  readonly price: Money | null;
  /** Shares in this execution (not cumulative). */
  readonly qty: Money | null;
  /** Signed position after the event. */
  readonly positionQty: Money | null;
  readonly fill: Fill | null;
}

/** The per-order result of cancel-all (Alpaca's 207 body: HTTP status per order). */
export interface CancelResult {
  readonly id: string;
  readonly status: number;
}

/** Port: a brokerage account in Alpaca's model (the paper broker, or Alpaca paper/live). Refusals throw DomainError. */
export interface Broker {
  submitOrder(request: NewOrderRequest): Promise<Order>;
  getOrder(id: string): Promise<Order | null>;
  getOrderByClientId(clientOrderId: string): Promise<Order | null>;
  listOrders(filter?: OrderFilter): Promise<Order[]>;
  /** Returns the new order; the old one ends `replaced`. */
  replaceOrder(id: string, changes: ReplaceOrderRequest): Promise<Order>;
  cancelOrder(id: string): Promise<void>;
  cancelAll(): Promise<CancelResult[]>;
  getAccount(): Promise<AccountSnapshot>;
  listPositions(): Promise<PositionSnapshot[]>;
  /** Liquidates all of a position, `qty` shares of it, or `percentage` percent; returns the order. */
  closePosition(symbol: string, options?: { qty?: Money; percentage?: Money }): Promise<Order>;
  /** Subscribes to trade updates; returns the unsubscribe function. */
  onTradeUpdate(listener: (update: TradeUpdate) => void): () => void;
}
