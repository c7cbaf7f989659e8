import crypto from 'node:crypto';
import { DomainError, type Money } from '../../core/kernel/index.js';
import type { FeedEvent } from '../../core/market-data/index.js';
import {
  type AccountLedger,
  type AccountSnapshot,
  type EngineOutput,
  type MatchingEngine,
  type Order,
  type PositionSnapshot,
  type RiskLimits,
  type TradeUpdate,
  isOpen,
  netOfHeldBuyingPower,
} from '../../core/trading/index.js';
import { auditEventOfTradeUpdate } from '../accounts/record-audit.js';
import type { AuditEvent } from '../ports.js';
import { type OrderIdentity, recoverBooks, storedShape } from './recover-books.js';
import type { TradingAccountRecord, TradingStore } from './trading-store.js';

/** What a paper account needs from the service around it. */
export interface PaperAccountDeps {
  readonly store: TradingStore;
  readonly now: () => number;
  /** The latest price per symbol from the live market (values positions). */
  readonly marks: (symbol: string) => Money | null;
  /** The latest quote and trade of a symbol, to seed the engine before an order for it. */
  readonly latest: (symbol: string) => FeedEvent[];
  readonly killSwitch: () => boolean;
  readonly isKnownSymbol: (symbol: string) => boolean;
  /** Called after every committed step with the symbols the account now has working orders in. */
  readonly working: (account: PaperAccount, symbols: ReadonlySet<string>) => void;
  /** Called after commit for every order event, in order. */
  readonly publish: (account: PaperAccount, update: TradeUpdate) => void;
  readonly log: (error: unknown, message: string) => void;
}

/** How many recent client_order_ids an account remembers in memory. */
const CLIENT_IDS_KEPT = 10_000;

/**
 * How long a closed order stays in an account's engine: the window the guards read recent orders in (duplicate
 * suppression). Older closed orders are read from the store; the engine forgets them, so an account's memory
 * holds its open orders and the last ten minutes, not every order it ever placed.
 */
export const RECENT_ORDERS_MS = 10 * 60_000;

/** Extra orders to store with a step (ones that changed without an event). */
type Extra = readonly (Order | undefined)[];

/**
 * One user's paper brokerage: core's MatchingEngine and AccountLedger behind a queue (one step at a time),
 * every step committed in one database transaction that locks the account row (orders, fills, position,
 * cash) before anyone hears of it. If a commit fails, the books are rebuilt from the database.
 */
export class PaperAccount {
  engine!: MatchingEngine;
  ledger!: AccountLedger;
  private identities = new Map<string, OrderIdentity>();
  private stored = new Map<string, Order>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending: FeedEvent[] = [];
  private draining = false;
  private readonly seen = new Map<string, { t: number; id: number }>();
  /** Recent client_order_ids (bounded): a hit is a retry; a miss is decided by the unique index. */
  private readonly clientIds = new Set<string>();

  private constructor(
    public record: TradingAccountRecord,
    readonly deps: PaperAccountDeps,
  ) {}

  /** Loads an account from the database: fills replayed, open orders working again. */
  static async load(record: TradingAccountRecord, deps: PaperAccountDeps): Promise<PaperAccount> {
    const account = new PaperAccount(record, deps);
    await account.rebuild();
    return account;
  }

  get id(): string {
    return this.record.id;
  }

  get userId(): string {
    return this.record.userId;
  }

  /** The risk limits in force: the user's own plus the global kill switch. */
  get limits(): RiskLimits {
    return { ...this.record.riskLimits, killSwitch: this.deps.killSwitch() };
  }

  /** Runs `work` after everything queued before it; steps never interleave. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The account valued at the live marks. */
  snapshot(): AccountSnapshot {
    const now = this.deps.now();
    this.ledger.rollDay(now, this.deps.marks);
    return this.ledger.snapshot(now, this.deps.marks);
  }

  /** The price open orders are valued at: the engine's last price for the symbol, else the live mark. */
  referencePrice(symbol: string): Money | null {
    return this.engine.lastPrice(symbol) ?? this.deps.marks(symbol);
  }

  /** The snapshot as the account reports it: buying power net of what open buy orders hold. */
  reportedSnapshot(): AccountSnapshot {
    const held = this.engine.reservedBuyingPower((s) => this.referencePrice(s));
    return netOfHeldBuyingPower(this.snapshot(), held);
  }

  /** Open positions valued at the live marks. */
  positions(): PositionSnapshot[] {
    return this.ledger.positions(this.deps.marks).sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  /** Queues market events for the engine; a burst is handled in one step and one transaction. */
  push(events: readonly FeedEvent[]): void {
    this.pending.push(...events);
    if (this.draining) return;
    this.draining = true;
    void this.run(async () => {
      this.draining = false;
      const batch = this.pending;
      this.pending = [];
      await this.step(() => merge(batch.map((e) => this.feed(e, false))));
    }).catch((error: unknown) => this.deps.log(error, 'paper account: market step failed'));
  }

  /** Lets the engine expire and route orders as time passes. */
  tick(t: number): Promise<void> {
    return this.run(() => this.step(() => this.engine.onClock(t))).catch((error: unknown) =>
      this.deps.log(error, 'paper account: clock step failed'),
    );
  }

  /** Records the account's equity at `t`. */
  recordEquity(t: number): Promise<void> {
    return this.run(async () => {
      const { equity, cash } = this.snapshot();
      await this.deps.store.recordEquity(this.id, { at: t, equity, cash });
    }).catch((error: unknown) => this.deps.log(error, 'paper account: equity snapshot failed'));
  }

  /** Feeds the engine this symbol's latest quote and trade if it has not seen them (orders need a price). */
  seed(symbol: string): EngineOutput {
    return merge(this.deps.latest(symbol).map((e) => this.feed(e, true)));
  }

  /** How recovery re-shaped this order, if it did (see recoverBooks). */
  identityOf(id: string): OrderIdentity | undefined {
    return this.identities.get(id);
  }

  /** A replacement keeps the stored shape of the order it replaces. */
  inheritIdentity(oldId: string, newId: string): void {
    const identity = this.identities.get(oldId);
    if (identity) this.identities.set(newId, identity);
  }

  /** The order as stored (recovery's identity applied), from the engine's committed books. */
  storedOrder(id: string): Order | undefined {
    const order = this.engine.get(id);
    return order && storedShape(order, this.identities);
  }

  /** True when this process placed or loaded an order with this client_order_id (recent ones only). */
  knowsClientOrderId(clientOrderId: string): boolean {
    return this.clientIds.has(clientOrderId);
  }

  /** Remembers placed orders' client_order_ids, so a retry is answered before anything is placed. */
  rememberClientOrderIds(orders: readonly Order[]): void {
    for (const o of orders) {
      this.clientIds.delete(o.clientOrderId);
      this.clientIds.add(o.clientOrderId);
    }
    for (const oldest of this.clientIds) {
      if (this.clientIds.size <= CLIENT_IDS_KEPT) break;
      this.clientIds.delete(oldest);
    }
  }

  /** A new id for an order or an execution. */
  newId(): string {
    return crypto.randomUUID();
  }

  /**
   * Runs one engine step and commits what it did in one transaction (`insert` names the new orders to
   * insert, in their latest state, after the step ran); then applies nothing twice and tells listeners.
   * Every order it changed is written once, and the audit rows of its events commit with it. A step
   * without fills commits in one statement; one with fills in one transaction of two statements (a read
   * that locks the account row, then one write of orders, fills, positions, cash, audit and equity). A failed
   * commit rebuilds; a taken client_order_id throws {@link DuplicateClientOrderId} with nothing written.
   */
  async step(
    engineStep: () => EngineOutput,
    options: { extra?: () => Extra; insert?: () => readonly Order[] } = {},
  ): Promise<void> {
    const out = engineStep();
    const extra = (options.extra?.() ?? []).filter((o): o is Order => o !== undefined);
    // Open orders that changed since they were stored, some without an event (a trailing stop's hwm).
    const silent = this.engine.takeChangedOpenOrders().filter((o) => this.stored.get(o.id) !== o);
    const inserting = options.insert?.() ?? [];
    if (out.updates.length === 0 && extra.length === 0 && silent.length === 0 && inserting.length === 0)
      return;
    // The latest state of every changed order, written once (new ones by the insert): fills reference it.
    const written = new Set(inserting.map((o) => o.id));
    const latest = new Map<string, Order>();
    const shaped = out.updates.map((update) => storedShape(update.order, this.identities));
    for (const order of shaped) latest.set(order.id, order);
    for (const order of [...silent, ...extra]) {
      const one = storedShape(order, this.identities);
      latest.delete(one.id);
      latest.set(one.id, one);
    }
    const saving = [...latest.values()].filter((o) => !written.has(o.id));
    const messages: TradeUpdate[] = [];
    const message = (i: number, positionQty: Money | null): TradeUpdate => {
      const update = out.updates[i];
      if (!update) throw new Error(`no update ${i}`);
      return {
        event: update.event,
        order: shaped[i] ?? update.order,
        timestamp: update.t,
        executionId: update.fill?.id ?? null,
        price: update.fill?.price ?? null,
        qty: update.fill?.qty ?? null,
        positionQty,
        fill: update.fill,
      };
    };
    const audit = () =>
      messages
        .map((m) => auditEventOfTradeUpdate(this.userId, m))
        .filter((e): e is AuditEvent => e !== undefined);
    try {
      if (out.updates.every((u) => u.fill === null)) {
        for (const i of out.updates.keys()) messages.push(message(i, null));
        const result = await this.deps.store.commitOrders(this.id, {
          insert: inserting,
          save: saving,
          audit: audit(),
        });
        if (result === 'duplicate_client_order_id') throw new DuplicateClientOrderId();
      } else {
        const entries = out.updates.flatMap((u, i) =>
          u.fill ? [{ fill: u.fill, order: shaped[i] ?? u.order }] : [],
        );
        const result = await this.deps.store.commitFills(
          this.id,
          { insert: inserting, save: saving, fills: entries },
          (outcomes) => {
            let filled = false;
            let next = 0;
            for (const [i, update] of out.updates.entries()) {
              let positionQty: Money | null = null;
              if (update.fill) {
                const outcome = outcomes[next++];
                if (!outcome) throw new Error(`no outcome for fill ${update.fill.id}`);
                if (outcome.applied) this.ledger.apply(update.fill);
                filled ||= outcome.applied;
                positionQty = outcome.positionQty;
              }
              messages.push(message(i, positionQty));
            }
            if (!filled) return { audit: audit(), equity: null };
            const { equity, cash } = this.snapshot();
            return { audit: audit(), equity: { at: this.deps.now(), equity, cash } };
          },
        );
        if (result === 'duplicate_client_order_id') throw new DuplicateClientOrderId();
      }
    } catch (error) {
      await this.rebuild();
      throw error;
    }
    for (const o of [...silent, ...extra, ...out.updates.map((u) => u.order)])
      if (isOpen(o)) this.stored.set(o.id, this.engine.get(o.id) ?? o);
      else this.stored.delete(o.id);
    for (const m of messages) this.deps.publish(this, m);
    this.engine.forgetClosedBefore(this.deps.now() - RECENT_ORDERS_MS);
    this.announceWorking();
  }

  /** Throws away the in-memory books and loads them again from the database. */
  async rebuild(): Promise<void> {
    const record = await this.deps.store.ensureAccount(this.userId, this.record);
    this.record = record;
    const books = await recoverBooks(record, this.deps.store, this.deps.now(), () => this.newId());
    if (books.mismatches.length > 0)
      this.deps.log(
        new Error(books.mismatches.join('; ')),
        'paper account: stored books disagree with fills',
      );
    this.engine = books.engine;
    this.ledger = books.ledger;
    this.identities = books.identities;
    this.seen.clear();
    this.stored = new Map(this.engine.openOrders().map((o) => [o.id, o]));
    this.engine.takeChangedOpenOrders();
    this.clientIds.clear();
    this.rememberClientOrderIds(this.engine.allOrders());
    if (books.settled.length > 0)
      await this.deps.store.transaction(this.id, async (tx) => {
        for (const order of books.settled) await tx.orders.save(order);
      });
    this.announceWorking();
  }

  /** Feeds one market event; a seed is skipped when the engine has seen it or something newer. */
  private feed(event: FeedEvent, seed: boolean): EngineOutput {
    const symbol = event.kind === 'quote' ? event.quote.symbol : event.trade.symbol;
    const t = event.kind === 'quote' ? event.quote.t : event.trade.t;
    const seen = this.seen.get(`${event.kind}:${symbol}`);
    if (
      seed &&
      seen &&
      (seen.t > t || (seen.t === t && (event.kind === 'quote' || seen.id === event.trade.id)))
    )
      return EMPTY;
    this.seen.set(`${event.kind}:${symbol}`, { t, id: event.kind === 'trade' ? event.trade.id : 0 });
    this.ledger.rollDay(t, this.deps.marks);
    return event.kind === 'quote' ? this.engine.onQuote(event.quote) : this.engine.onTrade(event.trade);
  }

  private announceWorking(): void {
    this.deps.working(this, this.engine.openSymbols());
  }
}

const EMPTY: EngineOutput = { fills: [], updates: [] };

/** Concatenates engine outputs in order. */
export function merge(outputs: readonly EngineOutput[]): EngineOutput {
  if (outputs.length === 1 && outputs[0]) return outputs[0];
  return {
    fills: outputs.flatMap((o) => o.fills),
    updates: outputs.flatMap((o) => o.updates),
  };
}

/** Thrown by a step whose new order's client_order_id is taken (the unique index decided; nothing written). */
export class DuplicateClientOrderId extends Error {
  override name = 'DuplicateClientOrderId';
}

/** A refusal for an order of another account or one that does not exist. */
export function orderNotFound(id: string): DomainError {
  return new DomainError('TRADING_ORDER_NOT_FOUND', `order not found: ${id}`, { id });
}
