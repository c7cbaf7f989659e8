import { Money } from '../../../../core/kernel/index.js';
import {
  type Order,
  type TradeUpdate,
  type TradeUpdateEvent,
  TERMINAL_STATUSES,
} from '../../../../core/trading/index.js';
import { TRADE_UPDATE_EVENTS } from './to-domain.js';

interface Seen {
  readonly status: Order['status'];
  readonly filledQty: Money;
  readonly filledAvgPrice: Money | null;
  readonly updatedAt: number;
}

const ZERO = new Money(0);

/**
 * What the adapter has already reported about each order, so every change is reported exactly once:
 * a stream message that does not move an order forward (a duplicate, or older than what a reconciliation
 * already reported) is dropped, and after a disconnect `reconcile` turns REST snapshots into the updates
 * that were missed.
 */
export class OrderTracker {
  private readonly seen = new Map<string, Seen>();
  /** Time of the latest change reported (broker time); changes after it may have been missed. */
  lastChangeAt = 0;

  /** True when `update` moves its order forward (and records it); false for a duplicate or a stale message. */
  accept(update: TradeUpdate): boolean {
    if (!this.advances(update.order)) return false;
    this.record(update.order);
    return true;
  }

  /** Orders reported as open (to re-read one by one when a reconciliation's lists miss them). */
  openIds(): string[] {
    return [...this.seen].filter(([, s]) => !TERMINAL_STATUSES.has(s.status)).map(([id]) => id);
  }

  /**
   * The updates missed while disconnected, from current snapshots of orders: for each order that moved
   * past what was reported (and, for orders never reported, changed after `since`), a fill or partial
   * fill for the unreported quantity (at the average price of that quantity) and then its status event.
   */
  reconcile(
    snapshots: readonly Order[],
    since: number,
    positionQty: (symbol: string) => Money,
  ): TradeUpdate[] {
    const out: TradeUpdate[] = [];
    const ordered = [...snapshots].sort((a, b) => a.updatedAt - b.updatedAt);
    for (const order of ordered) {
      const before = this.seen.get(order.id);
      if (!before && order.updatedAt < since) continue;
      if (!this.advances(order)) continue;
      const prevQty = before?.filledQty ?? ZERO;
      const missed = order.filledQty.minus(prevQty);
      const base = { order, timestamp: order.updatedAt };
      if (missed.gt(0) && order.filledAvgPrice) {
        const paid = order.filledAvgPrice.times(order.filledQty);
        const paidBefore = (before?.filledAvgPrice ?? ZERO).times(prevQty);
        const price = paid.minus(paidBefore).dividedBy(missed).toDecimalPlaces(9);
        const executionId = `reconciled:${order.id}:${order.filledQty.toString()}`;
        out.push({
          ...base,
          event: order.status === 'filled' ? 'fill' : 'partial_fill',
          executionId,
          price,
          qty: missed,
          positionQty: positionQty(order.symbol),
          fill: {
            id: executionId,
            orderId: order.id,
            symbol: order.symbol,
            side: order.side,
            qty: missed,
            price,
            t: order.updatedAt,
            referencePrice: price,
            liquidity: 'taker',
            slippageBps: 0,
            latencyMs: Math.max(0, order.updatedAt - order.submittedAt),
            commission: ZERO,
          },
        });
      }
      const statusEvent =
        order.status === 'filled' || order.status === 'partially_filled' ? null : order.status;
      if (statusEvent !== null && statusEvent !== before?.status && TRADE_UPDATE_EVENTS.has(statusEvent))
        out.push({
          ...base,
          event: statusEvent as TradeUpdateEvent,
          executionId: null,
          price: null,
          qty: null,
          positionQty: null,
          fill: null,
        });
      this.record(order);
    }
    return out;
  }

  private advances(order: Order): boolean {
    const before = this.seen.get(order.id);
    if (!before) return true;
    if (TERMINAL_STATUSES.has(before.status)) return false;
    const cmp = order.filledQty.comparedTo(before.filledQty);
    if (cmp < 0) return false;
    if (cmp > 0) return true;
    return order.status !== before.status && order.updatedAt >= before.updatedAt;
  }

  private record(order: Order): void {
    this.seen.set(order.id, {
      status: order.status,
      filledQty: order.filledQty,
      filledAvgPrice: order.filledAvgPrice,
      updatedAt: order.updatedAt,
    });
    this.lastChangeAt = Math.max(this.lastChangeAt, order.updatedAt);
  }
}
