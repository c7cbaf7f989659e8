import { Money } from '../../core/kernel/index.js';
import type { FeedEvent } from '../../core/market-data/index.js';
import {
  type AccountKind,
  type FillModel,
  type RiskLimits,
  type TradeUpdate,
  fillModel,
  riskLimits,
} from '../../core/trading/index.js';
import { AppError } from '../errors.js';
import type { AuditLog } from '../ports.js';
import type { LiveMarket, MarketUpdate } from '../market/live-market.js';
import type { BrokerChoice } from '../../contracts/trading.js';
import type { BrokerChoiceStore, BrokerKeys, ConnectBroker } from './broker-connection.js';
import { cancelAllOrders } from './order-commands.js';
import { PaperAccount, type PaperAccountDeps } from './paper-account.js';
import { PaperTradingAccount } from './paper-trading-account.js';
import type { TradingAccount } from './trading-account.js';
import type { TradingStore } from './trading-store.js';
import { type BrokerChoiceView, UserBrokers } from './user-brokers.js';

/** What the trading service is built from. */
export interface TradingServiceOptions {
  readonly store: TradingStore;
  readonly market: Pick<LiveMarket, 'subscribe' | 'latestQuote' | 'latestTrade'>;
  /** Market time (the simulator's clock, or wall time with Alpaca). */
  readonly now: () => number;
  readonly isKnownSymbol: (symbol: string) => boolean;
  /** Cash of a new paper account; $100,000 by default. */
  readonly startingCash?: Money;
  readonly accountKind?: AccountKind;
  /** Real milliseconds between clock steps for accounts with working orders (expiry, latency). */
  readonly tickMs?: number;
  readonly log?: (error: unknown, message: string) => void;
  /** Users' own brokers (Alpaca with their saved keys); omitted: every user trades on paper. */
  readonly brokers?: {
    readonly choices: BrokerChoiceStore;
    readonly keys: (userId: string) => Promise<BrokerKeys | undefined>;
    readonly connect: ConnectBroker;
    /** Audits the brokers' order events. */
    readonly audit?: AuditLog;
  };
}

/** Receives every trade update with the id of the user whose order it is. */
export type TradeUpdateListener = (userId: string, update: TradeUpdate) => void;

/**
 * The paper brokerage of every user: one {@link PaperAccount} per user, recovered from the database at
 * start. It subscribes to the live market once and routes each quote and trade only to the accounts with
 * working orders in that symbol; on every closed minute it records each account's equity.
 */
export class TradingService {
  private readonly byUser = new Map<string, Promise<PaperAccount>>();
  private readonly bySymbol = new Map<string, Set<PaperAccount>>();
  private readonly workingOf = new Map<PaperAccount, ReadonlySet<string>>();
  private readonly listeners = new Set<TradeUpdateListener>();
  private killSwitchOn = false;
  private started = false;
  private lastMinute = 0;
  private stopFeed: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly accountDeps: PaperAccountDeps;
  private readonly facades = new WeakMap<PaperAccount, PaperTradingAccount>();
  private readonly brokers: UserBrokers | undefined;
  private brokersConnecting: Promise<void> = Promise.resolve();

  constructor(private readonly options: TradingServiceOptions) {
    const { market } = options;
    const log = options.log ?? (() => undefined);
    this.accountDeps = {
      store: options.store,
      now: options.now,
      isKnownSymbol: options.isKnownSymbol,
      killSwitch: () => this.killSwitchOn,
      marks: (symbol) => {
        const price = market.latestTrade(symbol)?.price;
        return price === undefined ? null : new Money(String(price));
      },
      latest: (symbol) => {
        const events: FeedEvent[] = [];
        const quote = market.latestQuote(symbol);
        const trade = market.latestTrade(symbol);
        if (trade) events.push({ kind: 'trade', trade });
        if (quote) events.push({ kind: 'quote', quote });
        return events;
      },
      working: (account, symbols) => this.index(account, symbols),
      publish: (account, update) => this.publish(account.userId, update),
      log,
    };
    const { brokers } = options;
    this.brokers =
      brokers &&
      new UserBrokers({
        ...brokers,
        limits: async (userId) => (await this.account(userId)).limits,
        referencePrice: (symbol, side) => {
          const quote = market.latestQuote(symbol);
          const price = quote
            ? side === 'buy'
              ? quote.askPrice
              : quote.bidPrice
            : market.latestTrade(symbol)?.price;
          return price === undefined || price <= 0 ? null : new Money(String(price));
        },
        publish: (userId, update) => this.publish(userId, update),
        log,
      });
  }

  /**
   * Loads the kill switch and every account, then starts following the market. The connections of users
   * who trade through their own broker open in the background (see {@link brokersConnected}).
   */
  async start(): Promise<void> {
    this.killSwitchOn = await this.options.store.killSwitch();
    for (const record of await this.options.store.listAccounts())
      this.byUser.set(record.userId, PaperAccount.load(record, this.accountDeps));
    await Promise.all(this.byUser.values());
    this.stopFeed = this.options.market.subscribe((updates) => this.route(updates));
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 1_000);
    this.timer.unref();
    this.started = true;
    const log = this.options.log ?? (() => undefined);
    this.brokersConnecting = (this.brokers?.connectAll() ?? Promise.resolve()).then(
      () => undefined,
      (error: unknown) => log(error, 'opening broker connections at start failed'),
    );
  }

  /** Resolves once the start-up attempt to open every chosen broker connection is over (each may have failed). */
  brokersConnected(): Promise<void> {
    return this.brokersConnecting;
  }

  /** Stops following the market, closes broker connections and waits for queued steps. */
  async stop(): Promise<void> {
    this.started = false;
    this.brokers?.stop();
    this.stopFeed?.();
    clearInterval(this.timer);
    const accounts = await Promise.allSettled(this.byUser.values());
    await Promise.all(
      accounts.map((a) => (a.status === 'fulfilled' ? a.value.run(async () => undefined) : undefined)),
    );
  }

  /** The user's paper account, opened with the starting cash on first use. */
  account(userId: string): Promise<PaperAccount> {
    if (!this.started) throw new AppError('SERVICE_NOT_READY', 'Trading is starting up; retry in a moment.');
    let pending = this.byUser.get(userId);
    if (!pending) {
      pending = this.options.store
        .ensureAccount(userId, {
          kind: this.options.accountKind ?? 'margin',
          startingCash: this.options.startingCash ?? new Money(100_000),
          fillModel: fillModel(),
          riskLimits: riskLimits(),
        })
        .then((record) => PaperAccount.load(record, this.accountDeps));
      this.byUser.set(userId, pending);
      pending.catch(() => this.byUser.delete(userId));
    }
    return pending;
  }

  /** The account the user trades through: the paper simulator, or their own broker when they chose it. */
  async tradingAccount(userId: string): Promise<TradingAccount> {
    if (this.brokers && (await this.brokers.choiceOf(userId)) === 'alpaca') {
      if (!this.started)
        throw new AppError('SERVICE_NOT_READY', 'Trading is starting up; retry in a moment.');
      return this.brokers.account(userId);
    }
    const paper = await this.account(userId);
    let facade = this.facades.get(paper);
    if (!facade) this.facades.set(paper, (facade = new PaperTradingAccount(paper)));
    return facade;
  }

  /** Which account the user trades through (paper when brokers are not configured). */
  async brokerChoice(userId: string): Promise<BrokerChoiceView> {
    return this.brokers?.view(userId) ?? { broker: 'paper', live: false, keys: null };
  }

  /** Switches the user's account; Alpaca needs saved keys and brokers configured. */
  async chooseBroker(
    userId: string,
    broker: BrokerChoice,
    now: Date,
    ip: string | null = null,
  ): Promise<BrokerChoiceView> {
    if (this.brokers) return this.brokers.choose(userId, broker, now, ip);
    if (broker === 'paper') return { broker, live: false, keys: null };
    throw new AppError(
      'TRADING_BROKER_UNSUPPORTED',
      'Trading through Alpaca is not configured on this server.',
    );
  }

  /** Saved or deleted broker keys: the user's connection is rebuilt, or they return to paper. */
  async brokerKeysChanged(userId: string, now: Date): Promise<void> {
    await this.brokers?.keysChanged(userId, now);
  }

  /**
   * Cancels the user's open orders (before erasure): the paper account's, and their broker's when chosen.
   * The broker's orders are the user's own at Alpaca: a broker that cannot be reached is logged, not retried.
   */
  async cancelOpenOrders(userId: string): Promise<void> {
    await cancelAllOrders(await this.account(userId));
    if (!this.brokers || (await this.brokers.choiceOf(userId)) !== 'alpaca') return;
    try {
      await (await this.brokers.account(userId)).cancelAllOrders();
    } catch (error) {
      (this.options.log ?? (() => undefined))(error, 'canceling broker orders before erasure failed');
    }
  }

  /** Subscribes to every user's trade updates; returns the unsubscribe function. */
  onTradeUpdate(listener: TradeUpdateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True once every account is loaded and the market is followed. */
  get isStarted(): boolean {
    return this.started;
  }

  /** True while the global kill switch blocks new orders. */
  get killSwitch(): boolean {
    return this.killSwitchOn;
  }

  /** Sets the global kill switch; turning it on cancels every open order of every account. */
  async setKillSwitch(active: boolean): Promise<number> {
    await this.options.store.setKillSwitch(active);
    this.killSwitchOn = active;
    if (!active) return 0;
    let canceled = 0;
    for (const pending of this.byUser.values()) canceled += (await cancelAllOrders(await pending)).length;
    return canceled + (await (this.brokers?.cancelEverywhere() ?? 0));
  }

  /** Changes a user's fill model or risk limits; a new fill model rebuilds the account's engine. */
  async configure(
    userId: string,
    patch: { fillModel?: FillModel; riskLimits?: RiskLimits },
  ): Promise<PaperAccount> {
    const account = await this.account(userId);
    await account.run(async () => {
      account.record = await this.options.store.updateSettings(account.id, patch);
      if (patch.fillModel) await account.rebuild();
    });
    return account;
  }

  private publish(userId: string, update: TradeUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(userId, update);
      } catch (error) {
        (this.options.log ?? (() => undefined))(error, 'trade update listener failed');
      }
    }
  }

  private index(account: PaperAccount, symbols: ReadonlySet<string>): void {
    for (const symbol of this.workingOf.get(account) ?? [])
      if (!symbols.has(symbol)) this.bySymbol.get(symbol)?.delete(account);
    for (const symbol of symbols) {
      let set = this.bySymbol.get(symbol);
      if (!set) this.bySymbol.set(symbol, (set = new Set()));
      set.add(account);
    }
    if (symbols.size === 0) this.workingOf.delete(account);
    else this.workingOf.set(account, symbols);
  }

  private route(updates: readonly MarketUpdate[]): void {
    const batches = new Map<PaperAccount, FeedEvent[]>();
    let minute = 0;
    for (const update of updates) {
      if (update.kind === 'bar') minute = Math.max(minute, update.bar.t + 60_000);
      if (update.kind !== 'trade' && update.kind !== 'quote') continue;
      const symbol = update.kind === 'trade' ? update.trade.symbol : update.quote.symbol;
      for (const account of this.bySymbol.get(symbol) ?? []) {
        let batch = batches.get(account);
        if (!batch) batches.set(account, (batch = []));
        batch.push(update);
      }
    }
    for (const [account, events] of batches) account.push(events);
    if (minute > this.lastMinute) {
      this.lastMinute = minute;
      for (const pending of this.byUser.values())
        void pending.then(
          (a) => a.recordEquity(minute),
          () => undefined,
        );
    }
  }

  private tick(): void {
    const t = this.options.now();
    for (const account of this.workingOf.keys()) void account.tick(t);
  }
}
