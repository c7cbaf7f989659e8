import { isOpen, type Order } from './order.js';
import type { OrderFilter, OrderStore } from './order-store.js';

/** Applies Alpaca's order-list query to orders in memory (shared by fakes and the paper broker). */
export function filterOrders(orders: Iterable<Order>, filter: OrderFilter = {}): Order[] {
  const status = filter.status ?? 'open';
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const out = [...orders].filter(
    (o) =>
      (status === 'all' || (status === 'open') === isOpen(o)) &&
      (filter.after === undefined || o.submittedAt > filter.after) &&
      (filter.until === undefined || o.submittedAt < filter.until) &&
      (!filter.symbols || filter.symbols.includes(o.symbol)) &&
      (!filter.side || o.side === filter.side),
  );
  out.sort((a, b) => a.submittedAt - b.submittedAt || a.createdAt - b.createdAt);
  if ((filter.direction ?? 'desc') === 'desc') out.reverse();
  return out.slice(0, limit);
}

/** An OrderStore in memory: for tests and the embedded paper broker. */
export class InMemoryOrderStore implements OrderStore {
  private readonly byId = new Map<string, Order>();
  private readonly byClientId = new Map<string, string>();

  async save(order: Order): Promise<void> {
    const owner = this.byClientId.get(order.clientOrderId);
    if (owner !== undefined && owner !== order.id)
      throw new Error(`client_order_id ${order.clientOrderId} is taken by ${owner}`);
    this.byId.set(order.id, order);
    this.byClientId.set(order.clientOrderId, order.id);
  }

  async get(id: string): Promise<Order | null> {
    return this.byId.get(id) ?? null;
  }

  async getByClientId(clientOrderId: string): Promise<Order | null> {
    const id = this.byClientId.get(clientOrderId);
    return id === undefined ? null : (this.byId.get(id) ?? null);
  }

  async list(filter?: OrderFilter): Promise<Order[]> {
    return filterOrders(this.byId.values(), filter);
  }
}
