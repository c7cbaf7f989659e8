import { DomainError, Money } from '../../core/kernel/index.js';
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
import type { PaperCluster } from './paper-cluster.js';
import {
  type PaperCommand,
  type SettingsPatch,
  decodeBroadcast,
  decodeCommand,
  decodeReply,
  encodeBroadcast,
  encodeCommand,
  encodeReply,
} from './paper-commands.js';
import { PaperTradingAccount } from './paper-trading-account.js';
import { RemotePaperTradingAccount, callAccountMethod } from './remote-paper-trading-account.js';
import type { TradingAccount } from './trading-account.js';
import type { TradingAccountRecord, TradingStore } from './trading-store.js';
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
  /**
   * Several nodes on one PostgreSQL and one Redis: the node holding the lock owns paper trading (loads the
   * accounts, matches, records equity); the others forward to it and relay its trade updates. Omitted:
   * this node is the only one and always the owner.
   */
  readonly cluster?: PaperCluster;
}

/** Receives every trade update with the id of the user whose order it is. */
export type TradeUpdateListener = (userId: string, update: TradeUpdate) => void;

/** A node's part in paper trading: only the owner holds accounts and follows the market. */
type Role = 'follower' | 'loading' | 'owner';

const notOwner = () =>
  new AppError('SERVICE_NOT_READY', 'Paper trading is moving to another node; retry in a moment.');

/**
 * The paper brokerage of every user: one {@link PaperAccount} per user, recovered from the database when
 * this node becomes the owner (at start when it runs alone). The owner subscribes to the live market once
 * and routes each quote and trade only to the accounts with working orders in that symbol; on every
 * closed minute it records each account's equity. Other nodes forward every paper command to it.
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
  private accountDeps: PaperAccountDeps;
  private role: Role = 'follower';
  /** Bumped whenever this node gains or loses ownership: work of an older epoch may not write. */
  private epoch = 0;
  private stopped = false;
  private contending: Promise<void> | undefined;
  private poll: NodeJS.Timeout | undefined;
  private stopServing: (() => Promise<void>) | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly facades = new WeakMap<PaperAccount, PaperTradingAccount>();
  private readonly brokers: UserBrokers | undefined;
  private brokersConnecting: Promise<void> = Promise.resolve();
  private brokersCatchingUp: Promise<void> | undefined;

  constructor(private readonly options: TradingServiceOptions) {
    const { market } = options;
    const log = options.log ?? (() => undefined);
    this.accountDeps = this.depsFor(options.store, () => true);
    const { brokers } = options;
    this.brokers =
      brokers &&
      new UserBrokers({
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
          return price === undefined || price <= 0 ? null : new Money(String(price));
        },
        // A broker's updates reach only the node whose connection heard them.
        publish: (userId, update) => this.emit(userId, update),
        // Every node hears every broker event on its own connection: with several, only the owner audits it.
        auditing: () => !options.cluster || this.role === 'owner',
        log,
      });
  }

  /** The paper accounts' dependencies for one epoch of ownership: `live` false once it is over. */
  private depsFor(store: TradingStore, live: () => boolean): PaperAccountDeps {
    const { market, now, isKnownSymbol } = this.options;
    return {
      store,
      now,
      isKnownSymbol,
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
      working: (account, symbols) => {
        if (live()) this.index(account, symbols);
      },
      // Published only after the step committed: true even if ownership ended meanwhile.
      publish: (account, update) => this.publish(account.userId, update),
      log: this.options.log ?? (() => undefined),
    };
  }

  /**
   * Loads the kill switch and every account, then starts following the market. The connections of users
   * who trade through their own broker open in the background (see {@link brokersConnected}).
   */
  async start(): Promise<void> {
    this.killSwitchOn = await this.options.store.killSwitch();
    const { cluster } = this.options;
    if (cluster) {
      this.unsubscribe.push(
        cluster.bus.subscribe((body) => this.receive(body)),
        // Stop matching at once: the lock may be another node's in a moment.
        cluster.lock.onLost(() => this.resign('the owner lock was lost')),
      );
      await this.contend();
      this.poll = setInterval(() => void this.contend(), cluster.pollMs ?? 1_000);
      this.poll.unref();
    } else await this.own();
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

  /**
   * Stops following the market, closes broker connections and waits for queued steps; then gives up
   * ownership, so another node takes over with everything this one committed.
   */
  async stop(): Promise<void> {
    this.started = false;
    this.stopped = true;
    clearInterval(this.poll);
    await this.contending;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    this.brokers?.stop();
    this.stopFeed?.();
    clearInterval(this.timer);
    await this.stopServing?.();
    const accounts = await Promise.allSettled(this.byUser.values());
    await Promise.all(
      accounts.map((a) => (a.status === 'fulfilled' ? a.value.run(async () => undefined) : undefined)),
    );
    if (this.options.cluster) {
      this.resign();
      await this.options.cluster.lock.release();
    }
  }

  /** True while this node owns paper trading (always, once started, when it runs alone). */
  get isOwner(): boolean {
    return this.role === 'owner';
  }

  /**
   * The user's paper account, opened with the starting cash on first use. Only on the owner: elsewhere use
   * {@link tradingAccount}, {@link paperRecord} and {@link configure}, which forward to it.
   */
  account(userId: string): Promise<PaperAccount> {
    if (this.role !== 'owner' || (!this.started && !this.options.cluster))
      throw this.options.cluster
        ? notOwner()
        : new AppError('SERVICE_NOT_READY', 'Trading is starting up; retry in a moment.');
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
    return this.paperAccount(userId);
  }

  /** The user's paper account: this node's own on the owner, else one that forwards to the owner. */
  private async paperAccount(userId: string): Promise<TradingAccount> {
    if (this.options.cluster && this.role !== 'owner') {
      if (!this.started)
        throw new AppError('SERVICE_NOT_READY', 'Trading is starting up; retry in a moment.');
      return new RemotePaperTradingAccount((method, args) =>
        this.forward({ op: 'account', userId, method, args }),
      );
    }
    const paper = await this.account(userId);
    let facade = this.facades.get(paper);
    if (!facade) this.facades.set(paper, (facade = new PaperTradingAccount(paper)));
    return facade;
  }

  /** The user's paper account record (fill model, risk limits), opened on first use. */
  async paperRecord(userId: string): Promise<TradingAccountRecord> {
    if (this.options.cluster && this.role !== 'owner')
      return (await this.forward({ op: 'record', userId })) as TradingAccountRecord;
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
    await (await this.paperAccount(userId)).cancelAllOrders();
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
    const { cluster } = this.options;
    if (cluster && this.role !== 'owner') {
      const canceled = (await this.forward({ op: 'kill_switch', active })) as number;
      this.killSwitchOn = active;
      return canceled;
    }
    await this.options.store.setKillSwitch(active);
    this.killSwitchOn = active;
    if (cluster) this.broadcast({ kind: 'kill_switch', from: cluster.bus.nodeId, active });
    if (!active) return 0;
    let canceled = 0;
    for (const pending of this.byUser.values()) canceled += (await cancelAllOrders(await pending)).length;
    return canceled + (await (this.brokers?.cancelEverywhere() ?? 0));
  }

  /** Changes a user's fill model or risk limits (a new fill model rebuilds the account's engine); returns the record. */
  async configure(
    userId: string,
    patch: { fillModel?: FillModel; riskLimits?: RiskLimits },
  ): Promise<TradingAccountRecord> {
    if (this.options.cluster && this.role !== 'owner')
      return (await this.forward({ op: 'configure', userId, patch })) as TradingAccountRecord;
    const account = await this.account(userId);
    await account.run(async () => {
      account.record = await this.options.store.updateSettings(account.id, patch);
      if (patch.fillModel) await account.rebuild();
    });
    return account.record;
  }

  /** Tries the lock (or confirms it): takes ownership when it is won, gives it up when it is lost. */
  private contend(): Promise<void> {
    const { cluster } = this.options;
    if (!cluster || this.stopped || this.contending) return this.contending ?? Promise.resolve();
    const log = this.options.log ?? (() => undefined);
    this.contending = (async () => {
      try {
        const held = await cluster.lock.acquire().catch((error: unknown) => {
          log(error, 'paper trading: the owner lock could not be tried');
          return false;
        });
        if (this.stopped) return;
        if (!held) {
          this.resign('the owner lock was lost');
          // A follower's view of the kill switch, in case a broadcast was missed.
          this.killSwitchOn = await this.options.store.killSwitch();
        } else if (this.role === 'follower') {
          try {
            await this.own();
          } catch (error) {
            log(error, 'paper trading: taking ownership failed; giving the lock up');
            this.resign();
            await cluster.lock.release();
          }
        }
      } catch (error) {
        log(error, 'paper trading: the owner check failed');
      } finally {
        this.contending = undefined;
      }
      if (this.role === 'owner') this.catchUpBrokers();
    })();
    return this.contending;
  }

  /**
   * The owner audits the brokers' order events, so it opens the connection of every user on Alpaca, also
   * of one who chose it through another node since it started (in the background: the lock is not kept waiting).
   */
  private catchUpBrokers(): void {
    const { brokers } = this;
    if (!brokers || this.brokersCatchingUp || this.stopped) return;
    const log = this.options.log ?? (() => undefined);
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

  /** Becomes the owner: loads every account and the kill switch, follows the market, answers other nodes. */
  private async own(): Promise<void> {
    const epoch = ++this.epoch;
    const live = () => this.epoch === epoch && !this.stopped;
    const { cluster, store } = this.options;
    this.role = 'loading';
    // With several nodes, an account of an epoch that ended may not write (its steps fail and rebuild).
    this.accountDeps = this.depsFor(cluster ? fenced(store, live) : store, live);
    this.killSwitchOn = await store.killSwitch();
    for (const record of await store.listAccounts())
      this.byUser.set(record.userId, PaperAccount.load(record, this.accountDeps));
    await Promise.all(this.byUser.values());
    if (!live()) throw notOwner();
    this.stopFeed = this.options.market.subscribe((updates) => this.route(updates));
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 1_000);
    this.timer.unref();
    this.role = 'owner';
    if (cluster) this.stopServing = cluster.bus.serve((body) => this.serve(body));
  }

  /** Stops matching at once and drops the accounts: another node may own them from now on. */
  private resign(reason?: string): void {
    if (this.role === 'follower') return;
    this.epoch += 1;
    this.role = 'follower';
    this.stopFeed?.();
    this.stopFeed = undefined;
    clearInterval(this.timer);
    const stopping = this.stopServing;
    this.stopServing = undefined;
    const log = this.options.log ?? (() => undefined);
    void stopping?.().catch((error: unknown) =>
      log(error, 'paper trading: stopping the request server failed'),
    );
    this.byUser.clear();
    this.bySymbol.clear();
    this.workingOf.clear();
    if (reason) log(new Error(reason), 'paper trading: this node is no longer the owner');
  }

  /** Runs a command on the owner; SERVICE_NOT_READY when no owner answers in time. */
  private async forward(command: PaperCommand): Promise<unknown> {
    const cluster = this.options.cluster;
    if (!cluster) throw new Error('forwarding needs a cluster');
    let reply: string;
    try {
      reply = await cluster.bus.request(encodeCommand(command), cluster.timeoutMs ?? 5_000);
    } catch {
      throw notOwner();
    }
    return decodeReply(reply);
  }

  /** Answers a command forwarded by another node (or this one, while it was not the owner). */
  private async serve(body: string): Promise<string> {
    try {
      if (this.role !== 'owner') throw notOwner();
      return encodeReply({ ok: true, result: await this.execute(decodeCommand(body)) });
    } catch (error) {
      if (!(error instanceof DomainError))
        (this.options.log ?? (() => undefined))(error, 'paper trading: a forwarded command failed');
      return encodeReply({ ok: false, error });
    }
  }

  private async execute(command: PaperCommand): Promise<unknown> {
    switch (command.op) {
      case 'account':
        return callAccountMethod(await this.paperAccount(command.userId), command.method, command.args);
      case 'record':
        return this.paperRecord(command.userId);
      case 'configure':
        return this.configure(command.userId, command.patch satisfies SettingsPatch);
      case 'kill_switch':
        return this.setKillSwitch(command.active);
    }
  }

  /** Relays the owner's broadcasts to this node's listeners. */
  private receive(body: string): void {
    const cluster = this.options.cluster;
    let message;
    try {
      message = decodeBroadcast(body);
    } catch (error) {
      (this.options.log ?? (() => undefined))(error, 'paper trading: an unreadable broadcast was dropped');
      return;
    }
    if (message.from === cluster?.bus.nodeId) return;
    if (message.kind === 'kill_switch') this.killSwitchOn = message.active;
    else this.emit(message.userId, message.update);
  }

  private broadcast(message: Parameters<typeof encodeBroadcast>[0]): void {
    const cluster = this.options.cluster;
    if (!cluster) return;
    void cluster.bus
      .publish(encodeBroadcast(message))
      .catch((error: unknown) =>
        (this.options.log ?? (() => undefined))(error, 'paper trading: a broadcast could not be sent'),
      );
  }

  /** A paper account's update: to this node's listeners and, with several nodes, to every other node's. */
  private publish(userId: string, update: TradeUpdate): void {
    const cluster = this.options.cluster;
    if (cluster) this.broadcast({ kind: 'trade_update', from: cluster.bus.nodeId, userId, update });
    this.emit(userId, update);
  }

  private emit(userId: string, update: TradeUpdate): void {
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

/** `store` whose every call fails once `live()` is false, so a node that lost ownership writes nothing more. */
function fenced(store: TradingStore, live: () => boolean): TradingStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (!live()) throw notOwner();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
