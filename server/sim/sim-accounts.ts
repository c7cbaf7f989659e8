import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/kernel/index.js';
import type { MarketSimulator, Quote, Trade } from '../../core/market-data/index.js';
import { InMemoryOrderStore, PaperBroker, type TradeUpdate } from '../../core/trading/index.js';

/** Where the sim's paper brokers get their market: the simulated tape, or only what a test injects. */
export type BrokerMarket = 'simulator' | 'injected';

/** One FILL activity of an account (GET /v2/account/activities). */
export interface FillActivity {
  readonly id: string;
  readonly t: number;
  readonly update: TradeUpdate;
}

/** One simulated brokerage account: a paper broker, its activities and its trade_updates listeners. */
export interface SimAccount {
  readonly id: string;
  readonly accountNumber: string;
  readonly createdAt: number;
  readonly broker: PaperBroker;
  readonly activities: FillActivity[];
}

/** Options of the accounts registry. */
export interface SimAccountsOptions {
  simulator: MarketSimulator;
  clock: Clock;
  market: BrokerMarket;
  onError?: (error: unknown) => void;
}

/**
 * One paper broker per API key, created on first use, all fed by the same market: the simulator's
 * quotes and trades as the simulated clock advances (`advance`, called from the stream hub's tick), or
 * quotes and trades a test injects. Market events are applied in order, one step at a time.
 */
export class SimAccounts {
  private readonly byKey = new Map<string, SimAccount>();
  private readonly lastQuote = new Map<string, Quote>();
  private readonly lastTrade = new Map<string, Trade>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: SimAccountsOptions) {}

  /** The account of `key`, created with $100,000 on first use. */
  forKey(key: string): SimAccount {
    const existing = this.byKey.get(key);
    if (existing) return existing;
    const broker = new PaperBroker({
      clock: this.options.clock,
      orders: new InMemoryOrderStore(),
      newId: randomUUID,
    });
    const account: SimAccount = {
      id: randomUUID(),
      accountNumber: `PA${String(this.byKey.size + 1).padStart(10, '0')}`,
      createdAt: this.options.clock.now(),
      broker,
      activities: [],
    };
    broker.onTradeUpdate((update) => {
      if (update.event !== 'fill' && update.event !== 'partial_fill') return;
      const stamp = new Date(update.timestamp).toISOString().replace(/\D/g, '').slice(0, 17);
      account.activities.push({ id: `${stamp}::${randomUUID()}`, t: update.timestamp, update });
    });
    this.byKey.set(key, account);
    // A new account knows the market as the others do: the latest injected quote and trade per symbol.
    for (const q of this.lastQuote.values()) void this.step(() => broker.onQuote(q));
    for (const t of this.lastTrade.values()) void this.step(() => broker.onTrade(t));
    return account;
  }

  /** Runs `work` after every market step queued before it (so REST actions see a settled book). */
  step(work: () => Promise<unknown>): Promise<void> {
    const next = this.chain.then(work).then(
      () => undefined,
      (error: unknown) => this.options.onError?.(error),
    );
    this.chain = next;
    return next;
  }

  /** Runs a REST action on `account` after queued market steps, priming the symbol's quote from the tape first. */
  async act<T>(account: SimAccount, symbol: string | null, work: () => Promise<T>): Promise<T> {
    await this.chain;
    if (symbol !== null && this.options.market === 'simulator') await this.prime(account, symbol);
    return work();
  }

  /** Feeds every account what printed in (from, to] on symbols it trades or holds, then the clock. */
  advance(from: number, to: number): Promise<void> {
    if (this.options.market !== 'simulator') return this.step(async () => undefined);
    return this.step(async () => {
      const sim = this.options.simulator;
      for (const { broker } of this.byKey.values()) {
        const symbols = new Set<string>();
        for (const order of broker.engine.openOrders()) symbols.add(order.symbol);
        for (const position of broker.ledger.positions(() => null)) symbols.add(position.symbol);
        for (const symbol of symbols) {
          if (!sim.has(symbol)) continue;
          for (const trade of sim.tradesBetween(symbol, from + 1, to + 1)) await broker.onTrade(trade);
          await broker.onQuote(sim.quoteAt(symbol, to));
        }
        await broker.onClock(to);
      }
    });
  }

  /** Test hook: a quote at the current simulated time, fed to every account (and to accounts created later). */
  injectQuote(quote: Omit<Quote, 't'> & { t?: number }): Promise<void> {
    const q: Quote = { ...quote, t: quote.t ?? this.options.clock.now() };
    this.lastQuote.set(q.symbol, q);
    return this.step(async () => {
      for (const { broker } of this.byKey.values()) await broker.onQuote(q);
    });
  }

  /** Test hook: a trade print at the current simulated time, fed to every account. */
  injectTrade(trade: Omit<Trade, 't'> & { t?: number }): Promise<void> {
    const t: Trade = { ...trade, t: trade.t ?? this.options.clock.now() };
    this.lastTrade.set(t.symbol, t);
    return this.step(async () => {
      for (const { broker } of this.byKey.values()) await broker.onTrade(t);
    });
  }

  /** Test hook: tells every account the clock is now `t` (expiries, queued orders routing at the open). */
  injectClock(t: number): Promise<void> {
    return this.step(async () => {
      for (const { broker } of this.byKey.values()) await broker.onClock(t);
    });
  }

  private async prime(account: SimAccount, symbol: string): Promise<void> {
    const sim = this.options.simulator;
    if (!sim.has(symbol)) return;
    const now = this.options.clock.now();
    const { engine, ledger } = account.broker;
    // A symbol already worked or held is fed by `advance`; replaying an older print would move it back.
    if (engine.openOrders(symbol).length > 0 || !ledger.position(symbol).qty.isZero()) return;
    const last = sim.tradesBetween(symbol, now - 60_000, now + 1).at(-1);
    if (last) await account.broker.onTrade(last);
    await account.broker.onQuote(sim.quoteAt(symbol, now));
  }
}
