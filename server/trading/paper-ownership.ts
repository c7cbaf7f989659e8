import { AppError } from '../errors.js';
import type { PaperCluster } from './paper-cluster.js';
import { STALE_OWNER, type TradingStore } from './trading-store.js';

/** The refusal while paper trading has no owner that answers (it is moving to another node). */
export const notOwner = (): AppError =>
  new AppError('SERVICE_NOT_READY', 'Paper trading is moving to another node; retry in a moment.');

/** What a node does as it gains and loses ownership of paper trading. */
export interface OwnerDuties {
  /**
   * Loads the kill switch and every account for a new epoch of ownership. The accounts write through
   * `store` (fenced with several nodes) and may act only while `live()`.
   */
  load(store: TradingStore, live: () => boolean): Promise<void>;
  /** Starts matching: follows the market and steps the accounts' clocks. */
  follow(): void;
  /** Starts answering commands forwarded by other nodes; returns how to stop (none when alone). */
  serve(): (() => Promise<void>) | undefined;
  /** Stops matching at once and drops the accounts. */
  drop(): void;
  /** After each check that found another node the owner: catches up what a missed broadcast said. */
  follower(): Promise<void>;
  /** After each check that found this node still the owner (not once stopping). */
  owner(): void;
}

/** What ownership is decided with. */
export interface PaperOwnershipOptions {
  /** Omitted: this node is the only one and owns paper trading from {@link PaperOwnership.start}. */
  readonly cluster?: PaperCluster;
  readonly store: TradingStore;
  readonly duties: OwnerDuties;
  readonly log: (error: unknown, message: string) => void;
}

/** A node's part in paper trading: only the owner holds accounts and follows the market. */
type Role = 'follower' | 'loading' | 'owner';

/**
 * Which node owns paper trading: the holder of the cluster's lock, tried at start and every `pollMs`.
 * Each gain or loss of ownership starts a new epoch; the store of an ended epoch refuses every call, so a
 * node that lost the lock writes nothing more. A lost lock stops matching at once.
 */
export class PaperOwnership {
  private role: Role = 'follower';
  /** Bumped whenever this node gains or loses ownership: work of an older epoch may not write. */
  private epoch = 0;
  private stopped = false;
  private contending: Promise<void> | undefined;
  private poll: NodeJS.Timeout | undefined;
  private stopServing: (() => Promise<void>) | undefined;
  private stopWatchingLock: (() => void) | undefined;

  constructor(private readonly options: PaperOwnershipOptions) {}

  /** True while this node owns paper trading (always, once started, when it runs alone). */
  get isOwner(): boolean {
    return this.role === 'owner';
  }

  /** Alone: takes ownership. With a cluster: contends for the lock now and then every `pollMs`. */
  async start(): Promise<void> {
    const { cluster } = this.options;
    if (!cluster) return this.own();
    // Stop matching at once: the lock may be another node's in a moment.
    this.stopWatchingLock = cluster.lock.onLost(() => this.resign('the owner lock was lost'));
    await this.contend();
    this.poll = setInterval(() => void this.contend(), cluster.pollMs ?? 1_000);
    this.poll.unref();
  }

  /** Contends no more: waits for a check under way and stops watching the lock. */
  async halt(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await this.contending;
    this.stopWatchingLock?.();
    this.stopWatchingLock = undefined;
  }

  /** Waits until forwarded commands are no longer answered here. */
  async stopAnswering(): Promise<void> {
    await this.stopServing?.();
  }

  /** Gives ownership up (after {@link halt}), so another node takes over with everything committed here. */
  async release(): Promise<void> {
    const { cluster } = this.options;
    if (!cluster) return;
    this.resign();
    await cluster.lock.release();
  }

  /** Tries the lock (or confirms it): takes ownership when it is won, gives it up when it is lost. */
  private contend(): Promise<void> {
    const { cluster, duties, log } = this.options;
    if (!cluster || this.stopped || this.contending) return this.contending ?? Promise.resolve();
    this.contending = (async () => {
      try {
        const held = await cluster.lock.acquire().catch((error: unknown) => {
          log(error, 'paper trading: the owner lock could not be tried');
          return false;
        });
        if (this.stopped) return;
        if (!held) {
          this.resign('the owner lock was lost');
          await duties.follower();
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
      if (this.role === 'owner' && !this.stopped) duties.owner();
    })();
    return this.contending;
  }

  /** Becomes the owner: loads every account and the kill switch, follows the market, answers other nodes. */
  private async own(): Promise<void> {
    const epoch = ++this.epoch;
    const live = () => this.epoch === epoch && !this.stopped;
    const { cluster, store, duties } = this.options;
    this.role = 'loading';
    // With several nodes, an account of an epoch that ended may not write (its steps fail and rebuild):
    // refused here once this node knows, and by the database's fencing token even before it does.
    const owned = cluster
      ? fenced(store.fencedBy(await store.claimOwnership()), live, () =>
          this.resign('a newer owner took over paper trading'),
        )
      : store;
    await duties.load(owned, live);
    if (!live()) throw notOwner();
    duties.follow();
    this.role = 'owner';
    this.stopServing = duties.serve();
  }

  /** Stops matching at once and drops the accounts: another node may own them from now on. */
  private resign(reason?: string): void {
    if (this.role === 'follower') return;
    this.epoch += 1;
    this.role = 'follower';
    const stopping = this.stopServing;
    this.stopServing = undefined;
    const { duties, log } = this.options;
    duties.drop();
    void stopping?.().catch((error: unknown) =>
      log(error, 'paper trading: stopping the request server failed'),
    );
    if (reason) log(new Error(reason), 'paper trading: this node is no longer the owner');
  }
}

/** True for the error a fenced commit fails with once a newer owner has claimed paper trading. */
function isStale(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith(STALE_OWNER);
}

/**
 * `store` whose every call fails once `live()` is false, so a node that lost ownership writes nothing more;
 * a commit the database refused as stale (a newer owner claimed) calls `stale` and fails the same way.
 */
function fenced(store: TradingStore, live: () => boolean, stale: () => void): TradingStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (!live()) throw notOwner();
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          if (!isStale(error)) throw error;
          stale();
          throw notOwner();
        });
      };
    },
  });
}
