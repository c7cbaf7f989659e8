import { DomainError, Money, parseMoney } from '../../core/kernel/index.js';
import {
  type CancelResult,
  type NewOrderRequest,
  type Order,
  type OrderFilter,
  type OrderSide,
  type PositionSnapshot,
  type ReplaceOrderRequest,
  type RiskLimits,
  checkOrder,
  isOpen,
  refusalError,
  replacementOf,
  reservedBuyingPower,
  timeInForceWindowRefusal,
  validateOrder,
} from '../../core/trading/index.js';
import { AppError } from '../errors.js';
import type { PortfolioHistory } from './portfolio-history.js';
import type { BrokerConnection } from './broker-connection.js';
import type {
  AccountDetails,
  CloseAmount,
  CloseOutcome,
  FillsQuery,
  HistoryQuery,
  TradingAccount,
} from './trading-account.js';
import type { FillRecord } from './trading-store.js';

/** What a broker account needs from the service around it. */
export interface BrokerTradingAccountDeps {
  readonly connection: BrokerConnection;
  readonly live: boolean;
  /** The last four characters of the key id (the account number shown). */
  readonly keyIdLast4: string;
  /** The user's risk limits with the global kill switch, read for every new order. */
  readonly limits: () => Promise<RiskLimits>;
  /** The live market's price to value a market order: the ask for buys, the bid for sells. */
  readonly referencePrice: (symbol: string, side: OrderSide) => Money | null;
  readonly log: (error: unknown, message: string) => void;
  /** The broker refused the keys (401/403): the owner drops this account so the next request rebuilds it. */
  readonly unauthorized?: () => void;
}

/** Open (and recent) orders read for the guards; Alpaca answers at most 500. */
const MAX_OPEN_ORDERS = 500;

/**
 * A user's own brokerage account (Alpaca, through core's Broker port) as a {@link TradingAccount}. Every
 * new order, close included, passes the same guards as a paper order, against the broker's own account,
 * positions and open orders, before anything is sent; placements of one account run one at a time so
 * each is judged with the orders before it. A broker that does not answer is a 502, never a 500.
 */
export class BrokerTradingAccount implements TradingAccount {
  readonly broker = 'alpaca' as const;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: BrokerTradingAccountDeps) {}

  get live(): boolean {
    return this.deps.live;
  }

  async details(): Promise<AccountDetails> {
    const snapshot = await this.call(() => this.port.getAccount());
    const number = `ALPACA-${this.deps.live ? 'LIVE' : 'PAPER'}-${this.deps.keyIdLast4}`;
    return {
      id: number.toLowerCase(),
      accountNumber: number,
      createdAt: null,
      snapshot,
      startingCash: null,
      fillModel: null,
    };
  }

  placeOrder(request: NewOrderRequest): Promise<Order> {
    return this.serially(async () => {
      await this.guard(request);
      return this.call(() => this.port.submitOrder(request));
    });
  }

  listOrders(filter: OrderFilter): Promise<Order[]> {
    return this.call(() => this.port.listOrders(filter));
  }

  getOrder(id: string): Promise<Order | null> {
    return this.call(() => this.port.getOrder(id));
  }

  getOrderByClientId(clientOrderId: string): Promise<Order | null> {
    return this.call(() => this.port.getOrderByClientId(clientOrderId));
  }

  async legsOf(order: Order): Promise<Order[]> {
    const legs = await Promise.all(order.legs.map((id) => this.getOrder(id)));
    return legs.filter((o): o is Order => o !== null);
  }

  replaceOrder(id: string, changes: ReplaceOrderRequest): Promise<Order> {
    return this.serially(async () => {
      // Refused before a single call to the broker, as a new order is.
      if ((await this.deps.limits()).killSwitch) throw killSwitchOn();
      const old = await this.getOrder(id);
      if (!old) throw new DomainError('TRADING_ORDER_NOT_FOUND', `order not found: ${id}`, { id });
      // A replacement is judged as the order it would leave working, without the one it replaces.
      // Whether an open order may be replaced yet (accepted, pending_new…) is the broker's call.
      const asWorking: Order = isOpen(old) ? { ...old, status: 'new' } : old;
      const made = replacementOf(asWorking, changes, old.id, this.deps.connection.now());
      if (!made.ok) throw refusalError(made.refusal);
      const next = made.value;
      await this.guard(
        {
          symbol: next.symbol,
          side: next.side,
          type: next.type,
          timeInForce: next.timeInForce,
          qty: next.qty,
          limitPrice: next.limitPrice,
          stopPrice: next.stopPrice,
          trailPrice: next.trailPrice,
          trailPercent: next.trailPercent,
          extendedHours: next.extendedHours,
        },
        old,
      );
      return this.call(() => this.port.replaceOrder(id, changes));
    });
  }

  cancelOrder(id: string): Promise<void> {
    return this.call(() => this.port.cancelOrder(id));
  }

  cancelAllOrders(): Promise<CancelResult[]> {
    return this.call(() => this.port.cancelAll());
  }

  async positions(): Promise<PositionSnapshot[]> {
    const list = await this.call(() => this.port.listPositions());
    return list.sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  closePosition(symbol: string, amount: CloseAmount): Promise<Order> {
    return this.serially(() => this.closeNow(symbol, amount));
  }

  closeAllPositions(cancelOrders: boolean): Promise<CloseOutcome[]> {
    return this.serially(async () => {
      if (cancelOrders) await this.call(() => this.port.cancelAll());
      const outcomes: CloseOutcome[] = [];
      for (const { symbol } of await this.positions()) {
        try {
          outcomes.push({ symbol, order: await this.closeNow(symbol, {}) });
        } catch (error) {
          outcomes.push({ symbol, error });
        }
      }
      return outcomes;
    });
  }

  async fills(_query: FillsQuery): Promise<FillRecord[]> {
    throw unsupported('Activities are');
  }

  async portfolioHistory(_query: HistoryQuery): Promise<PortfolioHistory> {
    throw unsupported('Portfolio history is');
  }

  /** Closes the broker's trade updates stream. */
  close(): void {
    this.deps.connection.stop();
  }

  private get port() {
    return this.deps.connection.broker;
  }

  private async closeNow(symbol: string, amount: CloseAmount): Promise<Order> {
    const held = (await this.positions()).find((p) => p.symbol === symbol)?.qty ?? new Money(0);
    if (held.isZero())
      throw new DomainError('TRADING_POSITION_NOT_FOUND', 'position does not exist', { symbol });
    if (amount.qty !== undefined && amount.percentage !== undefined)
      throw new DomainError('TRADING_INVALID_QTY', 'qty and percentage are mutually exclusive');
    const qty = amount.qty === undefined ? undefined : positive('qty', amount.qty);
    const percentage =
      amount.percentage === undefined ? undefined : positive('percentage', amount.percentage);
    if (percentage?.gt(100)) throw new DomainError('TRADING_INVALID_QTY', 'percentage must be at most 100');
    const shares =
      qty ??
      (percentage
        ? held.abs().times(percentage).dividedBy(100).toDecimalPlaces(9, Money.ROUND_DOWN)
        : held.abs());
    await this.guard({
      symbol,
      side: held.isNegative() ? 'buy' : 'sell',
      type: 'market',
      timeInForce: 'day',
      qty: shares,
    });
    return this.call(() =>
      this.port.closePosition(symbol, {
        ...(qty && { qty }),
        ...(percentage && { percentage }),
      }),
    );
  }

  /**
   * Validation, the session window and every risk guard; throws the first refusal. With `replacing`, the
   * order is that one's replacement: the replaced order's own contribution (its pending sell, the buying
   * power Alpaca holds for it) is removed, and it is no duplicate of itself.
   */
  private async guard(request: NewOrderRequest, replacing?: Order): Promise<void> {
    const checked = validateOrder(request);
    if (!checked.ok) throw refusalError(checked.refusal);
    const spec = checked.value;
    const limits = await this.deps.limits();
    // Refused before a single call to the broker.
    if (limits.killSwitch) throw killSwitchOn();
    const now = this.deps.connection.now();
    const window = timeInForceWindowRefusal(spec, now);
    if (window) throw refusalError(window);
    const recentFrom = now - limits.duplicateWindowMs;
    const [account, positions, open, recent] = await Promise.all([
      this.call(() => this.port.getAccount()),
      this.positions(),
      this.listOrders({ status: 'open', limit: MAX_OPEN_ORDERS }),
      limits.duplicateWindowMs > 0 && !replacing
        ? this.listOrders({ status: 'all', limit: MAX_OPEN_ORDERS, after: recentFrom - 1 })
        : Promise.resolve([]),
    ]);
    const position = positions.find((p) => p.symbol === spec.symbol);
    const referencePrice = this.deps.referencePrice(spec.symbol, spec.side) ?? position?.currentPrice ?? null;
    const refusal = checkOrder(
      spec,
      {
        now,
        account,
        position: position?.qty ?? new Money(0),
        referencePrice,
        openOrders: replacing ? open.filter((o) => o.id !== replacing.id) : open,
        recentOrders: recent,
        // The broker enforces the pattern-day-trader rule itself, with the day trades it counts.
        wouldDayTrade: false,
      },
      limits,
      // The broker's buying power already holds back what its open orders need, the replaced one too.
      replacing
        ? reservedBuyingPower([replacing], (symbol) =>
            symbol === spec.symbol ? referencePrice : this.deps.referencePrice(symbol, replacing.side),
          ).negated()
        : new Money(0),
    );
    if (refusal) throw refusalError(refusal);
  }

  /** Runs `work` after the placements queued before it. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A broker call: refusals (DomainError) pass through; anything else is the broker being unavailable. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (refusesKeys(error)) {
        this.deps.log(error, 'broker refused the saved keys');
        this.deps.unauthorized?.();
        throw keysRefused();
      }
      if (error instanceof DomainError) throw error;
      this.deps.log(error, 'broker call failed');
      throw new AppError(
        'TRADING_BROKER_UNAVAILABLE',
        'Alpaca did not answer or refused the saved keys; retry, or check your keys in Settings.',
      );
    }
  }
}

/**
 * True when the broker refused the keys rather than the request: a 401 or 403 on a read (these pass the
 * adapter as they came), or a 403 that says no more than "forbidden" (Alpaca's answer to revoked keys;
 * its order refusals name the rule, e.g. insufficient buying power).
 */
export function refusesKeys(error: unknown): boolean {
  if (error instanceof DomainError)
    return error.details?.status === 403 && /^forbidden\.?$/i.test(error.message.trim());
  if (typeof error !== 'object' || error === null || !('status' in error)) return false;
  return error.status === 401 || error.status === 403;
}

/** Alpaca refused the saved keys: still a 502 TRADING_BROKER_UNAVAILABLE, with what to do about it. */
export function keysRefused(): AppError {
  return new AppError(
    'TRADING_BROKER_UNAVAILABLE',
    'Alpaca refused the saved keys (revoked or regenerated?): save your current keys in Settings → Broker keys.',
  );
}

function positive(field: string, text: string): Money {
  const value = parseMoney(text);
  if (!value || value.lte(0))
    throw new DomainError('TRADING_INVALID_QTY', `${field} must be a positive decimal`);
  return value;
}

function killSwitchOn(): DomainError {
  return new DomainError('TRADING_KILL_SWITCH_ACTIVE', 'the kill switch is on: new orders are refused');
}

function unsupported(what: string): AppError {
  return new AppError(
    'TRADING_BROKER_UNSUPPORTED',
    `${what} kept by the paper simulator only; for your Alpaca account, see the Alpaca dashboard.`,
  );
}
