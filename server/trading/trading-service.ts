import { type Money, moneyOfNumber } from '../../core/kernel/index.js';
import type { AccountKind, FillModel, RiskLimits, TradeUpdate } from '../../core/trading/index.js';
import { AppError } from '../errors.js';
import type { AuditLog } from '../ports.js';
import type { LiveMarket } from '../market/live-market.js';
import type { BrokerChoice } from '../../contracts/trading.js';
import type { BrokerChoiceStore, BrokerKeys, ConnectBroker } from './broker-connection.js';
import type { PaperAccount } from './paper-account.js';
import { PaperAccounts } from './paper-accounts.js';
import type { PaperCluster } from './paper-cluster.js';
import { PaperForwarding } from './paper-forwarding.js';
import { PaperOwnership, notOwner } from './paper-ownership.js';
import { PaperTradingAccount } from './paper-trading-account.js';
import { RemotePaperTradingAccount } from './remote-paper-trading-account.js';
import type { TradingAccount } from './trading-account.js';
import type { TradingAccountRecord, TradingStore } from './trading-store.js';
import { type BrokerChoiceView, UserBrokers } from './user-brokers.js';

/** How often the owner opens the connections of users on Alpaca it missed the broadcast of, by default. */
const BROKERS_CATCH_UP_MS = 30_000;

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
    /**
     * With several nodes: how often the owner opens the connections of users on Alpaca it has none for (a
     * broadcast of their choice was missed); 30 s by default.
     */
    readonly catchUpMs?: number;
  };
  /**
   * Several nodes on one PostgreSQL and one Redis: the node holding the lock owns paper trading (loads the
   * accounts, matches, records equity); the others forward to it and relay its trade updates. Omitted:
   * this node is the only one and always the owner.
   */
  readonly cluster?: PaperCluster;
}

/** Receives every trade update with the id of the user whose order it is. */
export type TradeUpdateListener = (userId: string, update: TradeUpdate) => void;

/**
 * The paper brokerage of every user: one {@link PaperAccount} per user, recovered from the database when
 * this node becomes the owner (at start when it runs alone). The owner subscribes to the live market once
 * and routes each quote and trade only to the accounts with working orders in that symbol; on every
 * closed minute it records each account's equity. Other nodes forward every paper command to it.
 */
export class TradingService {
  private readonly listeners = new Set<TradeUpdateListener>();
  private killSwitchOn = false;
  private started = false;
  private readonly log: (error: unknown, message: string) => void;
  private readonly accounts: PaperAccounts;
  private readonly ownership: PaperOwnership;
  /** With several nodes: how commands reach the owner and its broadcasts reach this node. */
  private readonly forwarding: PaperForwarding | undefined;
  private stopListening: (() => void) | undefined;
  private readonly facades = new WeakMap<PaperAccount, PaperTradingAccount>();
  private readonly brokers: UserBrokers | undefined;
  private brokersConnecting: Promise<void> = Promise.resolve();
  private brokersCatchingUp: Promise<void> | undefined;
  /** When the owner last started catching up the broker connections; undefined until it has as owner. */
  private brokersCaughtUpAt: number | undefined;

  constructor(private readonly options: TradingServiceOptions) {
    const { store, cluster } = options;
    const log = (this.log = options.log ?? (() => undefined));
    this.accounts = new PaperAccounts({
      ...options,
      log,
      killSwitch: () => this.killSwitchOn,
      publish: (userId, update) => this.publish(userId, update),
    });
    this.forwarding =
      cluster &&
      new PaperForwarding({
        cluster,
        log,
        isOwner: () => this.ownership.isOwner,
        target: {
          paperAccount: (userId) => this.paperAccount(userId),
          paperRecord: (userId) => this.paperRecord(userId),
          configure: (userId, patch) => this.configure(userId, patch),
          setKillSwitch: (active) => this.setKillSwitch(active),
        },
        heard: {
          killSwitch: (active) => {
            this.killSwitchOn = active;
          },
          tradeUpdate: (userId, update) => this.emit(userId, update),
          brokerChosen: (userId) => this.brokerChosenElsewhere(userId),
        },
      });
    this.ownership = new PaperOwnership({
      cluster,
      store,
      log,
      duties: {
        load: async (accountStore, live) => {
          // A new owner catches up at its first check as owner.
          this.brokersCaughtUpAt = undefined;
          this.accounts.beginEpoch(accountStore, live);
          this.killSwitchOn = await store.killSwitch();
          await this.accounts.loadAll();
        },
        follow: () => this.accounts.follow(),
        serve: () => this.forwarding?.serve(),
        drop: () => this.accounts.drop(),
        follower: async () => {
          // A follower's view of the kill switch, in case a broadcast was missed.
          this.killSwitchOn = await store.killSwitch();
        },
        owner: () => this.catchUpBrokers(),
      },
    });
    this.brokers = options.brokers && this.userBrokers(options.brokers);
  }

  /** Users' own brokers, behind the same risk limits and kill switch as their paper account. */
  private userBrokers(brokers: NonNullable<TradingServiceOptions['brokers']>): UserBrokers {
    const { market, cluster } = this.options;
    return new UserBrokers({
      ...brokers,
      limits: async (userId) => ({
        ...(await this.paperRecord(userId)).riskLimits,
        killSwitch: this.killSwitchOn,
      }),
      referencePrice: (symbol, side) => {
        const quote = market.latestQuote(symbol);
        const price = quote
          ? side === 'buy'
            ? quote.askPrice
            : quote.bidPrice
          : market.latestTrade(symbol)?.price;
        return price === undefined || price <= 0 ? null : moneyOfNumber(price);
      },
      // A broker's updates reach only the node whose connection heard them.
      publish: (userId, update) => this.emit(userId, update),
      // Every node hears every broker event on its own connection: with several, only the owner audits it.
      auditing: () => !cluster || this.ownership.isOwner,
      log: this.log,
    });
  }

  /**
   * Loads the kill switch and every account, then starts following the market. The connections of users
   * who trade through their own broker open in the background (see {@link brokersConnected}).
   */
  async start(): Promise<void> {
    this.killSwitchOn = await this.options.store.killSwitch();
    this.stopListening = this.forwarding?.listen();
    await this.ownership.start();
    this.started = true;
    const { log } = this;
    this.brokersConnecting = (this.brokers?.connectAll() ?? Promise.resolve()).then(
      () => undefined,
      (error: unknown) => log(error, 'opening broker connections at start failed'),
    );
  }

  /** Resolves once the start-up attempt to open every chosen broker connection is over (each may have failed). */
  brokersConnected(): Promise<void> {
    return this.brokersConnecting;
  }

  /**
   * Stops following the market, closes broker connections and waits for queued steps; then gives up
   * ownership, so another node takes over with everything this one committed.
   */
  async stop(): Promise<void> {
    this.started = false;
    await this.ownership.halt();
    this.stopListening?.();
    this.stopListening = undefined;
    this.brokers?.stop();
    this.accounts.unfollow();
    await this.ownership.stopAnswering();
    await this.accounts.settle();
    await this.ownership.release();
  }

  /** True while this node owns paper trading (always, once started, when it runs alone). */
  get isOwner(): boolean {
    return this.ownership.isOwner;
  }

  /**
   * The user's paper account, opened with the starting cash on first use. Only on the owner: elsewhere use
   * {@link tradingAccount}, {@link paperRecord} and {@link configure}, which forward to it.
   */
  account(userId: string): Promise<PaperAccount> {
    if (!this.ownership.isOwner || (!this.started && !this.options.cluster))
      throw this.options.cluster
        ? notOwner()
        : new AppError('SERVICE_NOT_READY', 'Trading is starting up; retry in a moment.');
    return this.accounts.open(userId);
  }

  /** The account the user trades through: the paper simulator, or their own broker when they chose it. */
  async tradingAccount(userId: string): Promise<TradingAccount> {
    if (this.brokers && (await this.brokers.choiceOf(userId)) === 'alpaca') {
      if (!this.started)
        throw new AppError('SERVICE_NOT_READY', 'Trading is starting up; retry in a moment.');
      return this.brokers.account(userId);
    }
    return this.paperAccount(userId);
  }

  /** The user's paper account: this node's own on the owner, else one that forwards to the owner. */
  private async paperAccount(userId: string): Promise<TradingAccount> {
    const { forwarding } = this;
    if (forwarding && !this.ownership.isOwner) {
      if (!this.started)
        throw new AppError('SERVICE_NOT_READY', 'Trading is starting up; retry in a moment.');
      return new RemotePaperTradingAccount((method, args) =>
        forwarding.forward({ op: 'account', userId, method, args }),
      );
    }
    const paper = await this.account(userId);
    let facade = this.facades.get(paper);
    if (!facade) this.facades.set(paper, (facade = new PaperTradingAccount(paper)));
    return facade;
  }

  /** The user's paper account record (fill model, risk limits), opened on first use. */
  async paperRecord(userId: string): Promise<TradingAccountRecord> {
    if (this.forwarding && !this.ownership.isOwner)
      return (await this.forwarding.forward({ op: 'record', userId })) as TradingAccountRecord;
    return (await this.account(userId)).record;
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
    if (this.brokers) {
      const view = await this.brokers.choose(userId, broker, now, ip);
      this.forwarding?.announceBrokerChoice(userId, view.broker);
      if (view.broker === 'alpaca' && this.forwarding && this.ownership.isOwner)
        this.brokers.connectQuietly(userId);
      return view;
    }
    if (broker === 'paper') return { broker, live: false, keys: null };
    throw new AppError(
      'TRADING_BROKER_UNSUPPORTED',
      'Trading through Alpaca is not configured on this server.',
    );
  }

  /** Saved or deleted broker keys: the user's connection is rebuilt, or they return to paper. */
  async brokerKeysChanged(userId: string, now: Date): Promise<void> {
    if (await this.brokers?.keysChanged(userId, now)) this.forwarding?.announceBrokerChoice(userId, 'paper');
  }

  /**
   * Cancels the user's open orders (before erasure): the paper account's, and their broker's when chosen.
   * The broker's orders are the user's own at Alpaca: a broker that cannot be reached is logged, not retried.
   */
  async cancelOpenOrders(userId: string): Promise<void> {
    await (await this.paperAccount(userId)).cancelAllOrders();
    if (!this.brokers || (await this.brokers.choiceOf(userId)) !== 'alpaca') return;
    try {
      await (await this.brokers.account(userId)).cancelAllOrders();
    } catch (error) {
      this.log(error, 'canceling broker orders before erasure failed');
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
    const { forwarding } = this;
    if (forwarding && !this.ownership.isOwner) {
      const canceled = (await forwarding.forward({ op: 'kill_switch', active })) as number;
      this.killSwitchOn = active;
      return canceled;
    }
    await this.options.store.setKillSwitch(active);
    this.killSwitchOn = active;
    forwarding?.announceKillSwitch(active);
    if (!active) return 0;
    const canceled = await this.accounts.cancelAll();
    return canceled + (await (this.brokers?.cancelEverywhere() ?? 0));
  }

  /** Changes a user's fill model or risk limits (a new fill model rebuilds the account's engine); returns the record. */
  async configure(
    userId: string,
    patch: { fillModel?: FillModel; riskLimits?: RiskLimits },
  ): Promise<TradingAccountRecord> {
    if (this.forwarding && !this.ownership.isOwner)
      return (await this.forwarding.forward({ op: 'configure', userId, patch })) as TradingAccountRecord;
    const account = await this.account(userId);
    await account.run(async () => {
      account.record = await this.options.store.updateSettings(account.id, patch);
      if (patch.fillModel) await account.rebuild();
    });
    return account.record;
  }

  /**
   * The owner audits the brokers' order events, so it opens the connection of every user on Alpaca, also
   * of one who chose it through another node since it started: at once on the broadcast of that choice
   * ({@link brokerChosenElsewhere}), and here, on becoming the owner and then every `catchUpMs`, for a
   * broadcast it missed (in the background: the lock is not kept waiting).
   */
  private catchUpBrokers(): void {
    const { brokers } = this;
    if (!brokers || this.brokersCatchingUp) return;
    const now = Date.now();
    const every = this.options.brokers?.catchUpMs ?? BROKERS_CATCH_UP_MS;
    if (this.brokersCaughtUpAt !== undefined && now - this.brokersCaughtUpAt < every) return;
    this.brokersCaughtUpAt = now;
    const { log } = this;
    this.brokersCatchingUp = brokers
      .connectAll({ quiet: true })
      .then(
        () => undefined,
        (error: unknown) => log(error, 'opening broker connections on the owner failed'),
      )
      .finally(() => {
        this.brokersCatchingUp = undefined;
      });
  }

  /**
   * Another node changed the user's broker choice: this node reads it again (closing its connection when
   * the user is back on paper), and the owner opens the connection of a user on Alpaca, so it audits their
   * broker's events from now on.
   */
  private brokerChosenElsewhere(userId: string): void {
    const { brokers, log } = this;
    if (!brokers) return;
    // Read again rather than taken from the broadcast: two quick changes on two nodes may arrive in either order.
    void brokers.refresh(userId).then(
      (broker) => {
        if (broker === 'alpaca' && this.ownership.isOwner) brokers.connectQuietly(userId);
      },
      (error: unknown) => log(error, 'reading a broker choice made on another node failed'),
    );
  }

  /** A paper account's update: to this node's listeners and, with several nodes, to every other node's. */
  private publish(userId: string, update: TradeUpdate): void {
    this.forwarding?.announceTradeUpdate(userId, update);
    this.emit(userId, update);
  }

  private emit(userId: string, update: TradeUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(userId, update);
      } catch (error) {
        this.log(error, 'trade update listener failed');
      }
    }
  }
}
