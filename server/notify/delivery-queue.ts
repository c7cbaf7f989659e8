/** A unit of work for one lane (a channel type). */
export interface QueueJob {
  id: string;
  lane: string;
  run(): Promise<void>;
}

/** Queue bounds: total jobs held (waiting, running or waiting to retry), and concurrency per lane. */
export interface DeliveryQueueOptions {
  capacity: number;
  concurrency: (lane: string) => number;
  onError: (error: unknown, job: QueueJob) => void;
}

/**
 * A bounded in-process work queue with a concurrency limit per lane, so a slow lane (a hanging
 * webhook) never holds up another (e-mail). Slots are reserved before any I/O, so the bound is exact.
 */
export class DeliveryQueue {
  private readonly waiting = new Map<string, QueueJob[]>();
  private readonly running = new Map<string, number>();
  private readonly held = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private paused = false;

  constructor(private readonly options: DeliveryQueueOptions) {}

  /** Jobs held: waiting, running, or reserved for a retry. */
  get size(): number {
    return this.held.size;
  }

  /** Room for this many more jobs. */
  get free(): number {
    return Math.max(0, this.options.capacity - this.held.size);
  }

  /** The ids holding a slot. */
  ids(): ReadonlySet<string> {
    return this.held;
  }

  /** Whether this id holds a slot. */
  has(id: string): boolean {
    return this.held.has(id);
  }

  /** Takes a slot for `id`, or returns false when the queue is full. */
  reserve(id: string): boolean {
    if (this.held.has(id)) return true;
    if (this.held.size >= this.options.capacity) return false;
    this.held.add(id);
    return true;
  }

  /** Gives a slot back (a job finished for good, or was never started). */
  release(id: string): void {
    if (this.held.delete(id) && this.held.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Runs a job whose slot is reserved, when its lane has room. The job keeps its slot until released. */
  push(job: QueueJob): void {
    if (!this.held.has(job.id)) throw new Error(`no slot reserved for ${job.id}`);
    const lane = this.waiting.get(job.lane) ?? [];
    lane.push(job);
    this.waiting.set(job.lane, lane);
    this.drain(job.lane);
  }

  /** Stops starting jobs (running ones finish); waiting ones stay until `clear`. */
  pause(): void {
    this.paused = true;
  }

  /** Starts jobs again after `pause`. */
  resume(): void {
    this.paused = false;
    for (const lane of this.waiting.keys()) this.drain(lane);
  }

  /** Forgets every waiting job and reservation. */
  clear(): void {
    this.waiting.clear();
    this.held.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Resolves when no job holds a slot. */
  idle(): Promise<void> {
    if (this.held.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(lane: string): void {
    const queue = this.waiting.get(lane);
    const limit = this.options.concurrency(lane);
    while (!this.paused && queue && queue.length > 0 && (this.running.get(lane) ?? 0) < limit) {
      const job = queue.shift() as QueueJob;
      this.running.set(lane, (this.running.get(lane) ?? 0) + 1);
      void job
        .run()
        .catch((error: unknown) => this.options.onError(error, job))
        .finally(() => {
          this.running.set(lane, (this.running.get(lane) ?? 1) - 1);
          this.drain(lane);
        });
    }
  }
}
