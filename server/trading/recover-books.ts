import type { Money } from '../../core/kernel/index.js';
import { AccountLedger, MatchingEngine, type Order, expiryOf, transition } from '../../core/trading/index.js';
import type { TradingAccountRecord, TradingStore } from './trading-store.js';

/** Fields an order had before recovery re-shaped it to re-arm it in a fresh engine. */
export type OrderIdentity = Pick<Order, 'orderClass' | 'parentId' | 'role' | 'legs'>;

/** An account's engine and ledger rebuilt from the database. */
export interface RecoveredBooks {
  readonly engine: MatchingEngine;
  readonly ledger: AccountLedger;
  /** Orders re-shaped for the engine, by id, with the identity to store them under. */
  readonly identities: Map<string, OrderIdentity>;
  /** Orders that expired or were canceled while the process was down (to be stored). */
  readonly settled: Order[];
  /** Differences between the replayed fills and the stored cash/positions (should be none). */
  readonly mismatches: string[];
}

async function replayFills(record: TradingAccountRecord, store: TradingStore): Promise<AccountLedger> {
  const ledger = new AccountLedger(record.kind, record.startingCash);
  const last = new Map<string, Money>();
  let cursor: string | undefined;
  for (;;) {
    const page = await store.fills(record.id, {
      direction: 'asc',
      limit: 1000,
      ...(cursor !== undefined && { cursor }),
    });
    for (const { fill } of page) {
      ledger.rollDay(fill.t, (s) => last.get(s) ?? null);
      ledger.apply(fill);
      last.set(fill.symbol, fill.price);
    }
    if (page.length < 1000) return ledger;
    cursor = page.at(-1)?.seq;
  }
}

function accepted(order: Order, identity?: Partial<OrderIdentity>): Order {
  return { ...order, ...identity, status: 'accepted' };
}

/**
 * Rebuilds an account from its rows: the ledger by replaying every fill from the starting cash (checked
 * against the stored cash and positions), the engine by re-submitting every open order. Day orders whose
 * session ended while the process was down expire. Exit legs whose entry already filled are re-armed as
 * an OCO pair (or a lone order), remembered in `identities` so they are stored as they were.
 */
export async function recoverBooks(
  record: TradingAccountRecord,
  store: TradingStore,
  now: number,
  newExecutionId: () => string,
): Promise<RecoveredBooks> {
  const ledger = await replayFills(record, store);
  const mismatches: string[] = [];
  const snapshot = ledger.snapshot(now, () => null);
  if (!snapshot.cash.eq(record.cash)) mismatches.push(`cash ${record.cash} ≠ replayed ${snapshot.cash}`);
  for (const p of await store.positions(record.id)) {
    const replayed = ledger.position(p.symbol);
    if (!replayed.qty.eq(p.qty)) mismatches.push(`${p.symbol} qty ${p.qty} ≠ replayed ${replayed.qty}`);
  }

  const engine = new MatchingEngine({ fillModel: record.fillModel, newExecutionId });
  const identities = new Map<string, OrderIdentity>();
  const settled: Order[] = [];
  const open = new Map<string, Order>();
  for (const order of await store.openOrders(record.id)) {
    const expiry = expiryOf(order, order.submittedAt);
    if (expiry !== null && expiry <= now && order.status !== 'held') {
      settled.push(transition(order, { type: 'expired', t: expiry }));
    } else open.set(order.id, order);
  }
  const settledIds = new Set(settled.map((o) => o.id));
  for (const root of open.values()) {
    if (root.parentId !== null) continue;
    const legs = root.legs.map((id) => open.get(id)).filter((o): o is Order => o !== undefined);
    engine.submit([accepted(root), ...legs.map((leg) => accepted(leg))], now);
  }
  const orphans = new Map<string, Order[]>();
  for (const leg of open.values()) {
    if (leg.parentId === null || open.has(leg.parentId)) continue;
    orphans.set(leg.parentId, [...(orphans.get(leg.parentId) ?? []), leg]);
  }
  for (const [parentId, group] of orphans) {
    let legs = group;
    const parent = settled.find((o) => o.id === parentId);
    if (settledIds.has(parentId) && parent?.filledQty.isZero()) {
      for (const leg of legs) settled.push(transition(leg, { type: 'canceled', t: now }));
      continue;
    }
    const identity = (o: Order): OrderIdentity => ({
      orderClass: o.orderClass,
      parentId: o.parentId,
      role: o.role,
      legs: o.legs,
    });
    // An entry that ended part-filled while down leaves exits for what did fill.
    if (parent && parent.filledQty.gt(0)) legs = legs.map((l) => ({ ...l, qty: parent.filledQty }));
    const tp = legs.find((l) => l.role === 'take_profit');
    const sl = legs.find((l) => l.role === 'stop_loss');
    for (const leg of legs) identities.set(leg.id, identity(leg));
    if (tp && sl) {
      engine.submit(
        [
          accepted(tp, { orderClass: 'oco', parentId: null, legs: [sl.id] }),
          accepted(sl, { orderClass: 'oco', parentId: tp.id, legs: [] }),
        ],
        now,
      );
    } else {
      for (const leg of legs)
        engine.submit([accepted(leg, { orderClass: 'simple', parentId: null, legs: [] })], now);
    }
  }
  return { engine, ledger, identities, settled, mismatches };
}

/** An order as it should be stored: recovery's re-shaping undone. */
export function storedShape(order: Order, identities: ReadonlyMap<string, OrderIdentity>): Order {
  const identity = identities.get(order.id);
  return identity ? { ...order, ...identity } : order;
}
