import type { Order, OrderSide } from './order.js';

/** Alpaca's GET /v2/orders query: status open (default) | closed | all, submission-time bounds, order. */
export interface OrderFilter {
  readonly status?: 'open' | 'closed' | 'all';
  /** Default 50, at most 500. */
  readonly limit?: number;
  /** Exclusive lower bound on submittedAt (UTC ms). */
  readonly after?: number;
  /** Exclusive upper bound on submittedAt (UTC ms). */
  readonly until?: number;
  readonly direction?: 'asc' | 'desc';
  readonly symbols?: readonly string[];
  readonly side?: OrderSide;
}

/** Port: durable storage of one account's orders; `save` upserts by id; client_order_id is unique. */
export interface OrderStore {
  save(order: Order): Promise<void>;
  get(id: string): Promise<Order | null>;
  getByClientId(clientOrderId: string): Promise<Order | null>;
  list(filter?: OrderFilter): Promise<Order[]>;
}
