import type {
  CancelResult,
  NewOrderRequest,
  Order,
  OrderFilter,
  PositionSnapshot,
  ReplaceOrderRequest,
} from '../../core/trading/index.js';
import { AppError } from '../errors.js';
import {
  cancelAllOrders,
  cancelOrder,
  closeAllPositions,
  closePosition,
  placeOrder,
  replaceOrder,
} from './order-commands.js';
import type { PaperAccount } from './paper-account.js';
import { type PortfolioHistory, defaultTimeframe, periodMs, portfolioHistory } from './portfolio-history.js';
import type {
  AccountDetails,
  CloseAmount,
  CloseOutcome,
  FillsQuery,
  HistoryQuery,
  TradingAccount,
} from './trading-account.js';
import type { FillRecord } from './trading-store.js';

/** The paper simulator as a {@link TradingAccount}: the order commands and the trading store behind it. */
export class PaperTradingAccount implements TradingAccount {
  readonly broker = 'paper' as const;
  readonly live = false;

  constructor(readonly paper: PaperAccount) {}

  async details(): Promise<AccountDetails> {
    const { record } = this.paper;
    return {
      id: record.id,
      accountNumber: record.accountNumber,
      createdAt: record.createdAt,
      snapshot: this.paper.reportedSnapshot(),
      startingCash: record.startingCash,
      fillModel: record.fillModel,
    };
  }

  placeOrder(request: NewOrderRequest): Promise<Order> {
    return placeOrder(this.paper, request);
  }

  listOrders(filter: OrderFilter): Promise<Order[]> {
    return this.orders().list(filter);
  }

  getOrder(id: string): Promise<Order | null> {
    return this.orders().get(id);
  }

  getOrderByClientId(clientOrderId: string): Promise<Order | null> {
    return this.orders().getByClientId(clientOrderId);
  }

  async legsOf(order: Order): Promise<Order[]> {
    const orders = this.orders();
    const legs = await Promise.all(order.legs.map((id) => orders.get(id)));
    return legs.filter((o): o is Order => o !== null);
  }

  replaceOrder(id: string, changes: ReplaceOrderRequest): Promise<Order> {
    return replaceOrder(this.paper, id, changes);
  }

  cancelOrder(id: string): Promise<void> {
    return cancelOrder(this.paper, id);
  }

  cancelAllOrders(): Promise<CancelResult[]> {
    return cancelAllOrders(this.paper);
  }

  async positions(): Promise<PositionSnapshot[]> {
    return this.paper.positions();
  }

  closePosition(symbol: string, amount: CloseAmount): Promise<Order> {
    return closePosition(this.paper, symbol, amount);
  }

  closeAllPositions(cancelOrders: boolean): Promise<CloseOutcome[]> {
    return closeAllPositions(this.paper, cancelOrders);
  }

  async fills(query: FillsQuery): Promise<FillRecord[]> {
    const { store } = this.paper.deps;
    const cursor = query.after === undefined ? null : await store.fillSeq(this.paper.id, query.after);
    if (query.after !== undefined && cursor === null)
      throw new AppError('REQUEST_VALIDATION_FAILED', 'querystring.page_token: unknown page token');
    return store.fills(this.paper.id, {
      direction: query.direction,
      limit: query.limit,
      ...(cursor !== null && { cursor }),
      ...(query.from !== undefined && { from: query.from }),
      ...(query.to !== undefined && { to: query.to }),
    });
  }

  async portfolioHistory(query: HistoryQuery): Promise<PortfolioHistory> {
    const span = periodMs(query.period);
    const end = query.end ?? this.paper.deps.now();
    const points = await this.paper.deps.store.equity(this.paper.id, end - span, end);
    return portfolioHistory(
      points,
      query.timeframe ?? defaultTimeframe(span),
      this.paper.record.startingCash,
    );
  }

  private orders() {
    return this.paper.deps.store.orders(this.paper.id);
  }
}
