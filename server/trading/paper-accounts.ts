import { Money, moneyOfNumber } from '../../core/kernel/index.js';
import type { FeedEvent } from '../../core/market-data/index.js';
import { type AccountKind, type TradeUpdate, fillModel, riskLimits } from '../../core/trading/index.js';
import type { LiveMarket, MarketUpdate } from '../market/live-market.js';
import { cancelAllOrders } from './order-commands.js';
import { PaperAccount, type PaperAccountDeps } from './paper-account.js';
import type { TradingStore } from './trading-store.js';

/** What the owner's paper accounts are built from (see TradingServiceOptions). */
export interface PaperAccountsOptions {
  readonly store: TradingStore;
  readonly market: Pick<LiveMarket, 'subscribe' | 'latestQuote' | 'latestTrade'>;
  readonly now: () => number;
  readonly isKnownSymbol: (symbol: string) => boolean;
  readonly startingCash?: Money;
  readonly accountKind?: AccountKind;
  readonly tickMs?: number;
  readonly log: (error: unknown, message: string) => void;
  /** True while the global kill switch blocks new orders. */
  readonly killSwitch: () => boolean;
  /** Receives each account's trade update once its step committed. */
  readonly publish: (userId: string, update: TradeUpdate) => void;
}

/**
 * The paper accounts of the node that owns paper trading, one per user. Once following the market they
 * get each quote and trade only when they have working orders in that symbol, a clock step every
 * `tickMs`, and on every closed minute they record their equity.
 */
export class PaperAccounts {
  private readonly byUser = new Map<string, Promise<PaperAccount>>();
  private readonly bySymbol = new Map<string, Set<PaperAccount>>();
  private readonly workingOf = new Map<PaperAccount, ReadonlySet<string>>();
  private lastMinute = 0;
  private stopFeed: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private deps: PaperAccountDeps;

  constructor(private readonly options: PaperAccountsOptions) {
    this.deps = this.depsFor(options.store, () => true);
  }

  /** The user's account, opened with the starting cash on first use. */
  open(userId: string): Promise<PaperAccount> {
    let pending = this.byUser.get(userId);
    if (!pending) {
      pending = this.options.store
        .ensureAccount(userId, {
          kind: this.options.accountKind ?? 'margin',
          startingCash: this.options.startingCash ?? new Money(100_000),
          fillModel: fillModel(),
          riskLimits: riskLimits(),
        })
        .then((record) => PaperAccount.load(record, this.deps));
      this.byUser.set(userId, pending);
      pending.catch(() => this.byUser.delete(userId));
    }
    return pending;
  }

  /** Starts an epoch of ownership: accounts loaded from now on write through `store`, and only while `live()`. */
  beginEpoch(store: TradingStore, live: () => boolean): void {
    this.deps = this.depsFor(store, live);
  }

  /** Loads every stored account. */
  async loadAll(): Promise<void> {
    for (const record of await this.options.store.listAccounts())
      this.byUser.set(record.userId, PaperAccount.load(record, this.deps));
    await Promise.all(this.byUser.values());
  }

  /** Starts routing the market to the accounts and stepping their clocks. */
  follow(): void {
    this.stopFeed = this.options.market.subscribe((updates) => this.route(updates));
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 1_000);
    this.timer.unref();
  }

  /** Stops routing the market and stepping clocks. */
  unfollow(): void {
    this.stopFeed?.();
    this.stopFeed = undefined;
    clearInterval(this.timer);
  }

  /** Stops following the market and forgets every account (another node may own them from now on). */
  drop(): void {
    this.unfollow();
    this.byUser.clear();
    this.bySymbol.clear();
    this.workingOf.clear();
  }

  /** Resolves once every account's queued steps ran. */
  async settle(): Promise<void> {
    const accounts = await Promise.allSettled(this.byUser.values());
    await Promise.all(
      accounts.map((a) => (a.status === 'fulfilled' ? a.value.run(async () => undefined) : undefined)),
    );
  }

  /** Cancels every open order of every account; returns how many were canceled. */
  async cancelAll(): Promise<number> {
    let canceled = 0;
    for (const pending of this.byUser.values()) canceled += (await cancelAllOrders(await pending)).length;
    return canceled;
  }

  /** The accounts' dependencies for one epoch of ownership: `live` false once it is over. */
  private depsFor(store: TradingStore, live: () => boolean): PaperAccountDeps {
    const { market, now, isKnownSymbol } = this.options;
    return {
      store,
      now,
      isKnownSymbol,
      killSwitch: () => this.options.killSwitch(),
      marks: (symbol) => {
        const price = market.latestTrade(symbol)?.price;
        return price === undefined ? null : moneyOfNumber(price);
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
      publish: (account, update) => this.options.publish(account.userId, update),
      log: this.options.log,
    };
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
