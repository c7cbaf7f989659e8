import type { BrokerChoice } from '../../contracts/trading.js';
import type { Money } from '../../core/kernel/index.js';
import type {
  AccountSnapshot,
  CancelResult,
  FillModel,
  NewOrderRequest,
  Order,
  OrderFilter,
  PositionSnapshot,
  ReplaceOrderRequest,
} from '../../core/trading/index.js';
import type { CloseAmount, CloseOutcome } from './order-commands.js';
import type { PortfolioHistory } from './portfolio-history.js';
import type { FillRecord } from './trading-store.js';

export type { CloseAmount, CloseOutcome } from './order-commands.js';

/** What the account endpoint shows besides the balances. */
export interface AccountDetails {
  readonly id: string;
  readonly accountNumber: string;
  readonly createdAt: number | null;
  readonly snapshot: AccountSnapshot;
  /** The paper simulator's starting cash and fill model; null for a broker account. */
  readonly startingCash: Money | null;
  readonly fillModel: FillModel | null;
}

/** A page of fills (Alpaca's FILL activities). */
export interface FillsQuery {
  readonly direction: 'asc' | 'desc';
  readonly limit: number;
  /** The execution id the page continues after. */
  readonly after?: string | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

/** A portfolio-history request: the span ends at `end` (market time) or now. */
export interface HistoryQuery {
  readonly period: string;
  readonly timeframe?: PortfolioHistory['timeframe'] | undefined;
  readonly end?: number | undefined;
}

/**
 * The account a user trades through, as the HTTP routes, signals and jobs see it: the paper simulator or
 * the user's Alpaca account. Every new order passes the user's risk guards and the kill switch first.
 * Refusals throw DomainError with TRADING_* codes.
 */
export interface TradingAccount {
  readonly broker: BrokerChoice;
  /** True when orders trade real money. */
  readonly live: boolean;
  details(): Promise<AccountDetails>;
  placeOrder(request: NewOrderRequest): Promise<Order>;
  listOrders(filter: OrderFilter): Promise<Order[]>;
  getOrder(id: string): Promise<Order | null>;
  getOrderByClientId(clientOrderId: string): Promise<Order | null>;
  /** The legs of a bracket, OCO or OTO order (for nested answers). */
  legsOf(order: Order): Promise<Order[]>;
  replaceOrder(id: string, changes: ReplaceOrderRequest): Promise<Order>;
  cancelOrder(id: string): Promise<void>;
  cancelAllOrders(): Promise<CancelResult[]>;
  positions(): Promise<PositionSnapshot[]>;
  closePosition(symbol: string, amount: CloseAmount): Promise<Order>;
  closeAllPositions(cancelOrders: boolean): Promise<CloseOutcome[]>;
  /** Fills, newest first by default; TRADING_BROKER_UNSUPPORTED where the broker has no such feed. */
  fills(query: FillsQuery): Promise<FillRecord[]>;
  /** Equity over time; TRADING_BROKER_UNSUPPORTED where the broker has no such feed. */
  portfolioHistory(query: HistoryQuery): Promise<PortfolioHistory>;
}
