import type { AuditLog } from '../ports.js';
import { runDueErasures } from './erasure.js';
import type { PrivacyStore } from './privacy-store.js';
import { enforceRetention, type RetentionPolicy } from './retention.js';

/** Options of the privacy job. */
export interface PrivacyJobsOptions {
  privacy: PrivacyStore;
  audit: AuditLog;
  retention: RetentionPolicy;
  graceDays: number;
  /** Cancels an erased user's open paper orders (see ErasureDeps). */
  cancelOpenOrders?: (userId: string) => Promise<void>;
  /** Milliseconds between runs (RETENTION_INTERVAL_MINUTES). */
  everyMs: number;
  /** Erasures carried out per run at most. */
  erasuresPerRun?: number;
  now?: () => Date;
  onError?: (error: unknown) => void;
  onRun?: (report: { erased: number; pruned: Record<string, number> }) => void;
}

/**
 * Runs due erasures and retention on an interval. Runs never overlap (a slow run makes the next
 * tick a no-op) and each is bounded; both steps are idempotent, so several nodes may run it.
 */
export class PrivacyJobs {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: PrivacyJobsOptions) {}

  /** Starts the interval, with a first run right away. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.everyMs);
    this.timer.unref();
    void this.runOnce();
  }

  /** One run now (or the run in progress). */
  runOnce(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the interval and waits for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async run(): Promise<void> {
    const o = this.options;
    const now = (o.now ?? (() => new Date()))();
    try {
      const erased = await runDueErasures(
        { now, limit: o.erasuresPerRun ?? 50 },
        {
          privacy: o.privacy,
          audit: o.audit,
          graceDays: o.graceDays,
          ...(o.cancelOpenOrders && { cancelOpenOrders: o.cancelOpenOrders }),
        },
      );
      const pruned = await enforceRetention({ policy: o.retention, now }, { privacy: o.privacy });
      o.onRun?.({ erased, pruned });
    } catch (error) {
      o.onError?.(error);
    }
  }
}
