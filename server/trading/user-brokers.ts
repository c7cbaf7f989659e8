import { createHash } from 'node:crypto';
import type { BrokerChoice } from '../../contracts/trading.js';
import type { Money } from '../../core/kernel/index.js';
import type { OrderSide, RiskLimits, TradeUpdate } from '../../core/trading/index.js';
import { auditEventOfTradeUpdate, recordAudit } from '../accounts/record-audit.js';
import { AppError } from '../errors.js';
import type { AuditLog } from '../ports.js';
import type { BrokerChoiceStore, BrokerKeys, ConnectBroker } from './broker-connection.js';
import { BrokerTradingAccount, keysRefused } from './broker-trading-account.js';

/** What the users' own brokers are built from. */
export interface UserBrokersOptions {
  readonly choices: BrokerChoiceStore;
  /** The user's decrypted broker keys, if saved. */
  readonly keys: (userId: string) => Promise<BrokerKeys | undefined>;
  readonly connect: ConnectBroker;
  readonly limits: (userId: string) => Promise<RiskLimits>;
  readonly referencePrice: (symbol: string, side: OrderSide) => Money | null;
  readonly publish: (userId: string, update: TradeUpdate) => void;
  /** Where the broker's order events are audited (placed, replaced, canceled, filled…). */
  readonly audit?: AuditLog | undefined;
  /**
   * False on a node that must not audit the broker's order events (with several nodes, each hears every
   * event on its own connection: only one may audit it). Always true when omitted. Events audited on the
   * request they serve (`trading.account_chosen`) are audited whatever it says.
   */
  readonly auditing?: () => boolean;
  readonly log: (error: unknown, message: string) => void;
}

/** A user's choice as the settings screen shows it. */
export interface BrokerChoiceView {
  readonly broker: BrokerChoice;
  /** True when the chosen account trades real money. */
  readonly live: boolean;
  /** The scope of the saved keys, or null when none are saved. */
  readonly keys: 'paper' | 'live' | null;
}

/** How long a node trusts its cached choice before reading it again (other nodes may change it). */
const CHOICE_TTL_MS = 5_000;

/** How long keys the broker refused are refused without asking it again (new keys are tried at once). */
const REFUSED_KEYS_MS = 30_000;

/** Connections opened at once when the server starts. */
const STARTUP_CONCURRENCY = 4;

/** How long a connection that failed to open in the background is left before the background tries again. */
const RETRY_MS = 30_000;

interface Open {
  readonly account: Promise<BrokerTradingAccount>;
  readonly stop: () => void;
}

/**
 * Which account each user trades through, and one broker connection per user who chose their own broker:
 * made from the decrypted keys on first use, closed when the keys change or the choice does. The choice
 * is cached for a few seconds (every trading request reads it; other nodes see a change that late).
 */
export class UserBrokers {
  private readonly chosen = new Map<string, { broker: BrokerChoice; at: number }>();
  private readonly open = new Map<string, Open>();
  /** Per user: a fingerprint of the keys the broker refused, and when. */
  private readonly refused = new Map<string, { keys: string; at: number }>();
  /** Per user: when a quiet {@link connectAll} last failed to open their connection. */
  private readonly failedAt = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: UserBrokersOptions) {}

  /** The user's choice; the paper simulator unless they chose otherwise. */
  async choiceOf(userId: string): Promise<BrokerChoice> {
    const cached = this.chosen.get(userId);
    const now = Date.now();
    if (cached && now - cached.at < CHOICE_TTL_MS) return cached.broker;
    const broker = (await this.options.choices.get(userId)) ?? 'paper';
    this.chosen.set(userId, { broker, at: now });
    // Another node may have switched the user back to paper: this node's connection goes too.
    if (broker === 'paper') this.close(userId);
    return broker;
  }

  /** The choice with the saved keys' scope. */
  async view(userId: string): Promise<BrokerChoiceView> {
    const [broker, keys] = await Promise.all([this.choiceOf(userId), this.options.keys(userId)]);
    const scope = keys?.scope ?? null;
    return { broker, live: broker === 'alpaca' && scope === 'live', keys: scope };
  }

  /**
   * Changes the user's account; choosing Alpaca needs saved keys (409 TRADING_BROKER_KEYS_MISSING). The change
   * is audited (`trading.account_chosen`, with whether it trades real money) before it is answered.
   */
  async choose(
    userId: string,
    broker: BrokerChoice,
    now: Date,
    ip: string | null = null,
  ): Promise<BrokerChoiceView> {
    if (broker === 'alpaca' && !(await this.options.keys(userId))) throw keysMissing();
    await this.options.choices.set(userId, broker, now);
    this.chosen.set(userId, { broker, at: Date.now() });
    this.close(userId);
    const view = await this.view(userId);
    await this.options.audit?.record({
      actorId: userId,
      action: 'trading.account_chosen',
      ip,
      detail: { broker: view.broker, live: view.live },
    });
    return view;
  }

  /**
   * After keys are saved or deleted: the old connection closes; without keys the user is back on paper.
   * Resolves true when that switched the user from Alpaca to paper.
   */
  async keysChanged(userId: string, now: Date): Promise<boolean> {
    this.close(userId);
    if ((await this.choiceOf(userId)) !== 'alpaca' || (await this.options.keys(userId))) return false;
    await this.options.choices.set(userId, 'paper', now);
    this.chosen.set(userId, { broker: 'paper', at: Date.now() });
    return true;
  }

  /**
   * The user's broker account, connected on first use. Keys the broker refused (401/403, or the stream's
   * "unauthorized") drop the account, and are refused again without a call for a while; other keys are
   * tried at once.
   */
  account(userId: string): Promise<BrokerTradingAccount> {
    const existing = this.open.get(userId);
    if (existing) return existing.account;
    let closed = false;
    let stop = () => {
      closed = true;
    };
    const revoked = () => {
      if (this.open.get(userId) === entry) this.close(userId);
    };
    const account = (async () => {
      if (this.stopped) throw unavailable();
      const keys = await this.options.keys(userId);
      if (!keys) throw keysMissing();
      const fingerprint = fingerprintOf(keys);
      const refused = this.refused.get(userId);
      if (refused?.keys === fingerprint && Date.now() - refused.at < REFUSED_KEYS_MS) throw keysRefused();
      if (closed) throw unavailable();
      let refusedNow = false;
      const onRefused = () => {
        refusedNow = true;
        this.refused.set(userId, { keys: fingerprint, at: Date.now() });
        revoked();
      };
      const connection = this.options.connect(keys, {
        unauthorized: () => {
          this.options.log(new Error('trade_updates: unauthorized'), 'broker stream refused the saved keys');
          onRefused();
        },
      });
      stop = () => connection.stop();
      const unsubscribe = connection.broker.onTradeUpdate((update) => {
        this.options.publish(userId, update);
        this.audit(userId, update);
      });
      try {
        await connection.start();
      } catch (error) {
        unsubscribe();
        connection.stop();
        this.options.log(error, 'broker stream did not start');
        throw refusedNow ? keysRefused() : unavailable();
      }
      this.refused.delete(userId);
      return new BrokerTradingAccount({
        connection,
        live: keys.scope === 'live',
        keyIdLast4: keys.keyId.slice(-4),
        limits: () => this.options.limits(userId),
        referencePrice: this.options.referencePrice,
        log: this.options.log,
        unauthorized: onRefused,
      });
    })();
    const entry: Open = { account, stop: () => stop() };
    this.open.set(userId, entry);
    account.catch(() => {
      if (this.open.get(userId) === entry) this.open.delete(userId);
    });
    return account;
  }

  /**
   * Opens the connection of every user who chose their own broker, a few at a time, so their trade updates
   * flow (and open orders reconcile) before their first request. A failure is logged; that user's
   * connection is tried again on their next request. Resolves with how many connected. `quiet` (a periodic
   * catch-up): failures are not logged, and a user whose connection failed is left alone for a while.
   */
  async connectAll({
    concurrency = STARTUP_CONCURRENCY,
    quiet = false,
  }: { concurrency?: number; quiet?: boolean } = {}): Promise<{ connected: number; failed: number }> {
    const now = Date.now();
    const users = (await this.options.choices.usersOf('alpaca')).filter(
      (userId) => !quiet || now - (this.failedAt.get(userId) ?? -Infinity) >= RETRY_MS,
    );
    const counts = { connected: 0, failed: 0 };
    let next = 0;
    const worker = async () => {
      while (next < users.length && !this.stopped) {
        const userId = users[next++];
        if (userId === undefined) break;
        try {
          await this.account(userId);
          this.failedAt.delete(userId);
          counts.connected += 1;
        } catch (error) {
          counts.failed += 1;
          this.failedAt.set(userId, Date.now());
          if (!quiet)
            this.options.log(error, 'broker connection at start failed; retried on the next request');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
    return counts;
  }

  /**
   * After another node changed the user's choice: forgets the cached one and reads it again; back on paper,
   * this node's connection closes.
   */
  refresh(userId: string): Promise<BrokerChoice> {
    this.chosen.delete(userId);
    return this.choiceOf(userId);
  }

  /**
   * Opens the user's connection in the background, as a quiet {@link connectAll} does: a failure is not
   * logged, and the quiet catch-up leaves that user alone for a while.
   */
  connectQuietly(userId: string): void {
    void this.account(userId).then(
      () => this.failedAt.delete(userId),
      () => this.failedAt.set(userId, Date.now()),
    );
  }

  /** Cancels the open orders of every user trading through their own broker; how many were canceled. */
  async cancelEverywhere(): Promise<number> {
    let canceled = 0;
    for (const userId of await this.options.choices.usersOf('alpaca')) {
      try {
        const results = await (await this.account(userId)).cancelAllOrders();
        canceled += results.filter((r) => r.status < 300).length;
      } catch (error) {
        this.options.log(error, 'kill switch: canceling broker orders failed');
      }
    }
    return canceled;
  }

  /** Closes every connection; none is opened after. */
  stop(): void {
    this.stopped = true;
    for (const userId of [...this.open.keys()]) this.close(userId);
  }

  /**
   * Audits an order event of the broker, unless this node does not audit them (the paper account audits
   * its own in the order's transaction).
   */
  private audit(userId: string, update: TradeUpdate): void {
    const { audit, auditing, log } = this.options;
    if (auditing && !auditing()) return;
    const event = audit && auditEventOfTradeUpdate(userId, update);
    if (!audit || !event) return;
    void recordAudit(
      { audit, onError: (error) => log(error, 'audit of a broker order event failed') },
      { ...event, detail: { ...event.detail, broker: 'alpaca' } },
    );
  }

  private close(userId: string): void {
    const entry = this.open.get(userId);
    if (!entry) return;
    this.open.delete(userId);
    entry.stop();
  }
}

/** Tells keys apart without keeping another copy of the secret. */
function fingerprintOf(keys: BrokerKeys): string {
  return createHash('sha256').update(`${keys.keyId}\n${keys.secretKey}\n${keys.scope}`).digest('base64');
}

function keysMissing(): AppError {
  return new AppError(
    'TRADING_BROKER_KEYS_MISSING',
    'No Alpaca keys are saved: save them in Settings → Broker keys first.',
  );
}

function unavailable(): AppError {
  return new AppError(
    'TRADING_BROKER_UNAVAILABLE',
    'Alpaca did not answer or refused the saved keys; retry, or check your keys in Settings.',
  );
}
