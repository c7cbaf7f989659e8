import { type Order, isOpen } from '../order.js';
import type { WorkingOrders } from './working-orders.js';

/** The members of an order's bracket, OTO or OCO group: the entry (if any) and the exit orders. */
export function groupOf(w: WorkingOrders, order: Order): { entry: Order | null; exits: Order[] } {
  if (order.orderClass === 'simple') return { entry: null, exits: [] };
  const root = order.parentId ? (w.get(order.parentId) ?? order) : order;
  const legs = root.legs.map((id) => w.get(id)).filter((o): o is Order => o !== undefined);
  return order.orderClass === 'oco' ? { entry: null, exits: [root, ...legs] } : { entry: root, exits: legs };
}

function armLeg(
  w: WorkingOrders,
  leg: Order,
  t: number,
  expiry: (o: Order, t: number) => number | null,
): void {
  const state = w.state(leg.id);
  if (!state || state.armed) return;
  state.armed = true;
  state.expiresAt = expiry(leg, t);
  w.noteExpiry(state.expiresAt);
  // Alpaca: the take-profit goes live as `new`; the stop-loss waits in `held` until it triggers.
  if (leg.role === 'take_profit') w.apply(leg.id, { type: 'new', t });
}

/** Cancels every other open member of `order`'s group (cancel one, cancel all). */
export function cancelGroup(w: WorkingOrders, order: Order, t: number): void {
  const { entry, exits } = groupOf(w, order);
  for (const member of [entry, ...exits]) {
    const current = member ? w.get(member.id) : undefined;
    if (current && current.id !== order.id && isOpen(current)) w.apply(current.id, { type: 'canceled', t });
  }
}

/** Cancels the other open exits of `order`'s group (one exit filled or its stop triggered). */
export function cancelSiblings(w: WorkingOrders, order: Order, t: number): void {
  for (const exit of groupOf(w, order).exits) {
    const current = w.get(exit.id);
    if (current && current.id !== order.id && isOpen(current)) w.apply(current.id, { type: 'canceled', t });
  }
}

/**
 * Keeps a group consistent after `order` changed: a filled entry arms its legs (an entry that ended
 * part-filled arms them for the filled qty, an unfilled one cancels them); a partly filled exit shrinks
 * its siblings to what is left, a filled exit cancels them.
 */
export function settleGroup(
  w: WorkingOrders,
  order: Order,
  t: number,
  expiry: (o: Order, t: number) => number | null,
): void {
  if (order.orderClass === 'simple') return;
  const { entry, exits } = groupOf(w, order);
  if (entry && entry.id === order.id) {
    if (order.status === 'filled') {
      for (const leg of exits) armLeg(w, leg, t, expiry);
    } else if (!isOpen(order) && order.status !== 'replaced') {
      for (const leg of exits) {
        if (!isOpen(leg)) continue;
        if (order.filledQty.gt(0)) {
          w.resize(leg.id, order.filledQty, t);
          armLeg(w, w.get(leg.id) ?? leg, t, expiry);
        } else {
          w.apply(leg.id, { type: 'canceled', t });
        }
      }
    }
    return;
  }
  if (order.filledQty.gt(0) && order.qty) {
    if (order.status === 'filled') cancelSiblings(w, order, t);
    else
      for (const other of exits)
        if (other.id !== order.id) w.resize(other.id, order.qty.minus(order.filledQty), t);
  }
}
