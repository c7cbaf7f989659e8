import type { Money } from '../../core/kernel/index.js';
import type { AuditEvent } from '../ports.js';
import type {
  AccountKind,
  Fill,
  FillModel,
  Order,
  OrderStatus,
  OrderStore,
  Position,
  RiskLimits,
} from '../../core/trading/index.js';

/** A user's paper account as stored. */
export interface TradingAccountRecord {
  readonly id: string;
  readonly userId: string;
  readonly accountNumber: string;
  readonly kind: AccountKind;
  readonly startingCash: Money;
  readonly cash: Money;
  readonly fillModel: FillModel;
  readonly riskLimits: RiskLimits;
  readonly createdAt: number;
}

/** A stored execution with what it left behind. */
export interface FillRecord {
  readonly fill: Fill;
  /** Signed position in the symbol after this fill. */
  readonly positionQty: Money;
  readonly cumQty: Money;
  readonly leavesQty: Money;
  readonly orderStatus: OrderStatus;
  /** Insertion order within the account (cursor for paging). */
  readonly seq: string;
}

/** One point of the equity curve. */
export interface EquityPoint {
  readonly at: number;
  readonly equity: Money;
  readonly cash: Money;
}

/** A page of fills: after/before a cursor, within submission bounds, in one direction. */
export interface FillQuery {
  readonly direction: 'asc' | 'desc';
  readonly limit: number;
  /** Exclusive cursor: fills past this seq in `direction`. */
  readonly cursor?: string;
  readonly from?: number;
  readonly to?: number;
}

/**
 * Work inside one account's transaction (settling orders after recovery). Steps commit through
 * `commitOrders` and `commitFills`, which lock what they need themselves.
 */
export interface TradingTransaction {
  readonly accountId: string;
  /** The account's orders, read and written inside this transaction. */
  readonly orders: OrderStore;
}

/** The orders every step writes: new ones and ones that changed. */
export interface StepOrders {
  /** Inserted all or none: a taken (account, client_order_id) refuses the whole step. */
  readonly insert: readonly Order[];
  /** Upserted by id (their latest state). */
  readonly save: readonly Order[];
}

/** What a step without fills writes: its orders and the audit rows of its events. */
export interface OrderCommit extends StepOrders {
  readonly audit: readonly AuditEvent[];
}

/** One execution of a step with fills, and its order as the step left it. */
export interface FillEntry {
  readonly fill: Fill;
  readonly order: Order;
}

/** What a step with fills writes: its orders and its fills (audit rows come from the settlement). */
export interface FillCommit extends StepOrders {
  /** In the order they happened. */
  readonly fills: readonly FillEntry[];
}

/** What became of one fill of a step: applied now, or a replay of an execution id already stored. */
export interface FillOutcome {
  readonly applied: boolean;
  /** Signed position in the symbol after the fill (unchanged by a replay). */
  readonly positionQty: Money;
}

/**
 * Called under the account row lock once the outcome of every fill is known, before anything is written:
 * returns the step's audit rows and, when a fill was applied, the equity point to record with it.
 */
export type FillSettlement = (outcomes: readonly FillOutcome[]) => {
  readonly audit: readonly AuditEvent[];
  readonly equity: EquityPoint | null;
};

/** Port: durable paper-trading state (accounts, orders, fills, positions, equity, the kill switch). */
export interface TradingStore {
  /** The user's account, created with `defaults` on first use. */
  ensureAccount(
    userId: string,
    defaults: Pick<TradingAccountRecord, 'kind' | 'startingCash' | 'fillModel' | 'riskLimits'>,
  ): Promise<TradingAccountRecord>;
  listAccounts(): Promise<TradingAccountRecord[]>;
  updateSettings(
    accountId: string,
    patch: { fillModel?: FillModel; riskLimits?: RiskLimits },
  ): Promise<TradingAccountRecord>;
  /** The account's orders (core's OrderStore port), outside any transaction. */
  orders(accountId: string): OrderStore;
  /** Every open order of the account, legs included. */
  openOrders(accountId: string): Promise<Order[]>;
  positions(accountId: string): Promise<Position[]>;
  fills(accountId: string, query: FillQuery): Promise<FillRecord[]>;
  /** The seq of one of the account's executions (to resume paging), or null. */
  fillSeq(accountId: string, executionId: string): Promise<string | null>;
  equity(accountId: string, from: number, to: number): Promise<EquityPoint[]>;
  recordEquity(accountId: string, point: EquityPoint): Promise<void>;
  /**
   * Commits a step without fills in one transaction and takes no row lock (no cash moves); resolves only
   * once it is durable. Nothing is written when an inserted order's client_order_id is taken.
   */
  commitOrders(accountId: string, commit: OrderCommit): Promise<'committed' | 'duplicate_client_order_id'>;
  /**
   * Commits a step with fills in one transaction that locks the account row: one read (cash, the fills'
   * positions, which execution ids are stored already), `settle`, then one write (orders, fills,
   * positions, cash, audit rows, equity). Each execution id is applied at most once; resolves only once
   * durable. Nothing is written when an inserted order's client_order_id is taken.
   */
  commitFills(
    accountId: string,
    commit: FillCommit,
    settle: FillSettlement,
  ): Promise<'committed' | 'duplicate_client_order_id'>;
  /** Runs `work` in one transaction of the account (see TradingTransaction for the row lock). */
  transaction<T>(accountId: string, work: (tx: TradingTransaction) => Promise<T>): Promise<T>;
  killSwitch(): Promise<boolean>;
  setKillSwitch(active: boolean): Promise<void>;
  /**
   * Several nodes: starts a new epoch of ownership of paper trading and returns its fencing token. Called
   * by a node that has just taken the owner lock, before it loads anything; from then on, order and fill
   * commits fenced with an older token fail with {@link STALE_OWNER}.
   */
  claimOwnership(): Promise<number>;
  /** This store, whose order and fill commits succeed only while `token` is the latest claimed. */
  fencedBy(token: number): TradingStore;
}

/** What a fenced commit of a node whose ownership has ended fails with (an error whose message starts so). */
export const STALE_OWNER = 'stale_paper_owner';
