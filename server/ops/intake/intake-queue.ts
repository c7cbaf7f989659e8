import type { ErrorOccurrence, TelemetryStore, VitalRecord } from '../ops-ports.js';

export interface IntakeQueueOptions {
  store: TelemetryStore;
  /** Items held at most; beyond it reports are dropped and counted (default 5 000). */
  capacity?: number;
  /** Items per database write (default 500). */
  batchSize?: number;
  /** How often the queue is written out (default 1 s). */
  flushEveryMs?: number;
  /** Error groups seen for the first time. */
  onNewErrorGroups?: (fingerprints: string[], samples: ErrorOccurrence[]) => void;
  log?: (error: unknown, message: string) => void;
}

type Item = { kind: 'error'; value: ErrorOccurrence } | { kind: 'vital'; value: VitalRecord };

/**
 * A bounded in-memory buffer between the intake routes and the database: requests only enqueue,
 * one writer drains in batches, and a flood beyond capacity is dropped and counted, never queued.
 */
export class IntakeQueue {
  readonly counters = {
    accepted: { error: 0, vital: 0 },
    dropped: { error: 0, vital: 0 },
    written: 0,
    failedWrites: 0,
  };
  private readonly items: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: IntakeQueueOptions) {}

  get depth(): number {
    return this.items.length;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushEveryMs ?? 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Enqueues what fits; returns how many were accepted. */
  offerErrors(errors: readonly ErrorOccurrence[]): number {
    return this.offer(errors.map((value) => ({ kind: 'error', value })));
  }

  offerVitals(samples: readonly VitalRecord[]): number {
    return this.offer(samples.map((value) => ({ kind: 'vital', value })));
  }

  /** Writes everything queued now, in batches; concurrent calls share one run. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private offer(items: Item[]): number {
    const capacity = this.options.capacity ?? 5_000;
    let accepted = 0;
    for (const item of items) {
      if (this.items.length >= capacity) this.counters.dropped[item.kind] += 1;
      else {
        this.items.push(item);
        this.counters.accepted[item.kind] += 1;
        accepted += 1;
      }
    }
    return accepted;
  }

  private async drain(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    while (this.items.length > 0) {
      const batch = this.items.splice(0, batchSize);
      const errors = batch.flatMap((i) => (i.kind === 'error' ? [i.value] : []));
      const vitals = batch.flatMap((i) => (i.kind === 'vital' ? [i.value] : []));
      try {
        if (vitals.length > 0) await this.options.store.recordVitals(vitals);
        if (errors.length > 0) {
          const fresh = await this.options.store.recordErrors(errors);
          if (fresh.length > 0)
            this.options.onNewErrorGroups?.(
              fresh,
              errors.filter((e) => fresh.includes(e.fingerprint)),
            );
        }
        this.counters.written += batch.length;
      } catch (error) {
        // Telemetry is best effort: a failed batch is dropped, never retried into an unbounded backlog.
        this.counters.failedWrites += batch.length;
        this.options.log?.(error, 'writing telemetry failed');
      }
    }
  }
}
