import type { Bar, BarStore } from '../../core/market-data/index.js';
import type { LiveMarket } from './live-market.js';

/** Options of the recorder. */
export interface BarRecorderOptions {
  store: BarStore;
  /** Real milliseconds between writes. */
  flushMs?: number;
  /** Bars held while the database is slow; past it the oldest are dropped and counted. */
  maxPending?: number;
  onError?: (error: unknown) => void;
}

/**
 * Records every closed 1Min bar of the live market in the BarStore, in batches off the feed's path:
 * the feed never waits for the database, and the buffer between them is bounded.
 */
export class BarRecorder {
  readonly stats = { recorded: 0, dropped: 0, failedWrites: 0 };
  private pending: Bar[] = [];
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: BarRecorderOptions) {}

  /** Starts listening to `live`. */
  start(live: LiveMarket): void {
    this.unsubscribe = live.subscribe((updates) => {
      for (const u of updates) if (u.kind === 'bar') this.pending.push(u.bar);
      const max = this.options.maxPending ?? 100_000;
      if (this.pending.length > max) {
        this.stats.dropped += this.pending.length - max;
        this.pending.splice(0, this.pending.length - max);
      }
    });
    this.timer = setInterval(() => void this.flush(), this.options.flushMs ?? 1_000);
    this.timer.unref();
  }

  /** Writes what is pending (one batch at a time). */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.pending.length === 0) return;
      const batch = this.pending;
      this.pending = [];
      try {
        await this.options.store.upsert('1Min', batch);
        this.stats.recorded += batch.length;
      } catch (error) {
        // Keep the batch for the next attempt, within the bound.
        this.stats.failedWrites += 1;
        this.pending = [...batch, ...this.pending];
        this.options.onError?.(error);
      }
    });
    return this.writing;
  }

  /** Stops listening and writes the rest. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.timer);
    await this.flush();
  }
}
