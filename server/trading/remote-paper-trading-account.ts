import type {
  CancelResult,
  NewOrderRequest,
  Order,
  OrderFilter,
  PositionSnapshot,
  ReplaceOrderRequest,
} from '../../core/trading/index.js';
import type { AccountMethod } from './paper-commands.js';
import type { PortfolioHistory } from './portfolio-history.js';
import type {
  AccountDetails,
  CloseAmount,
  CloseOutcome,
  FillsQuery,
  HistoryQuery,
  TradingAccount,
} from './trading-account.js';
import type { FillRecord } from './trading-store.js';

/** Runs one account method on the node that owns paper trading and returns its (decoded) result. */
export type ForwardAccountCall = (method: AccountMethod, args: unknown[]) => Promise<unknown>;

/**
 * A user's paper account on a node that does not own paper trading: every method runs on the owner (see
 * TradingService), so answers and refusals are the owner's, whichever node the request reached.
 */
export class RemotePaperTradingAccount implements TradingAccount {
  readonly broker = 'paper' as const;
  readonly live = false;

  constructor(private readonly call: ForwardAccountCall) {}

  details(): Promise<AccountDetails> {
    return this.forward('details');
  }

  placeOrder(request: NewOrderRequest): Promise<Order> {
    return this.forward('placeOrder', request);
  }

  listOrders(filter: OrderFilter): Promise<Order[]> {
    return this.forward('listOrders', filter);
  }

  getOrder(id: string): Promise<Order | null> {
    return this.forward('getOrder', id);
  }

  getOrderByClientId(clientOrderId: string): Promise<Order | null> {
    return this.forward('getOrderByClientId', clientOrderId);
  }

  legsOf(order: Order): Promise<Order[]> {
    return this.forward('legsOf', order);
  }

  replaceOrder(id: string, changes: ReplaceOrderRequest): Promise<Order> {
    return this.forward('replaceOrder', id, changes);
  }

  cancelOrder(id: string): Promise<void> {
    return this.forward('cancelOrder', id);
  }

  cancelAllOrders(): Promise<CancelResult[]> {
    return this.forward('cancelAllOrders');
  }

  positions(): Promise<PositionSnapshot[]> {
    return this.forward('positions');
  }

  closePosition(symbol: string, amount: CloseAmount): Promise<Order> {
    return this.forward('closePosition', symbol, amount);
  }

  closeAllPositions(cancelOrders: boolean): Promise<CloseOutcome[]> {
    return this.forward('closeAllPositions', cancelOrders);
  }

  fills(query: FillsQuery): Promise<FillRecord[]> {
    return this.forward('fills', query);
  }

  portfolioHistory(query: HistoryQuery): Promise<PortfolioHistory> {
    return this.forward('portfolioHistory', query);
  }

  // The owner runs the same method on its PaperTradingAccount: the result has the type that method returns.
  private async forward<T>(method: AccountMethod, ...args: unknown[]): Promise<T> {
    return (await this.call(method, args)) as T;
  }
}

/** Runs a forwarded method on the owner's own account. */
export function callAccountMethod(
  account: TradingAccount,
  method: AccountMethod,
  args: unknown[],
): Promise<unknown> {
  const fn = account[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(account, args);
}
