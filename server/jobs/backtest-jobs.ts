import crypto from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread.js';
import { DomainError } from '../../core/kernel/index.js';
import { resolveBacktest } from '../../core/signals/index.js';
import { AppError } from '../errors.js';
import { RuleInvalidError } from '../signals/signal-commands.js';
import type { BacktestRecord, BacktestStore } from '../signals/signal-store.js';
import { type BacktestRequest, type BarSource, backtestOptions } from './backtest-job.js';
import type { WorkerJob, WorkerMessage } from './backtest-worker.js';

/** What the job runner is built from. */
export interface BacktestJobsOptions {
  readonly store: BacktestStore;
  /** Where a request's bars come from: `{kind: 'sim', seed}` lets the worker build them itself. */
  readonly barSource: (request: BacktestRequest) => Promise<BarSource>;
  /** Worker threads (1 or 2 by default: 1). */
  readonly workers?: number;
  /** Jobs waiting beyond the running ones; past it SIGNALS_BACKTEST_QUEUE_FULL. Default 16. */
  readonly maxQueued?: number;
  readonly log?: (error: unknown, message: string) => void;
}

interface Slot {
  worker: Worker;
  job: { id: string } | null;
}

/**
 * Runs backtests off the request loop in worker threads: a bounded FIFO queue feeding one or two workers,
 * progress kept in memory while running, the result stored when done, and cancel (a running job's worker is
 * terminated and replaced). Jobs left unfinished by a stopped process are queued again at start.
 */
export class BacktestJobs {
  private readonly slots: Slot[] = [];
  private readonly waiting: { id: string; request: BacktestRequest }[] = [];
  private readonly progress = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: BacktestJobsOptions) {}

  /** Queues again the jobs a previous process left unfinished; workers are spawned on first use. */
  async start(): Promise<void> {
    for (const record of await this.options.store.listUnfinished()) {
      await this.options.store.update(record.id, { status: 'queued', progress: 0, startedAt: null });
      this.waiting.push({ id: record.id, request: record.request as BacktestRequest });
    }
    this.pump();
  }

  /** Terminates the workers; running jobs stay `running` in the store and are queued again at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  /** Checks the rules (422 with line:column) and queues a backtest. */
  async submit(userId: string, request: BacktestRequest): Promise<BacktestRecord> {
    try {
      resolveBacktest(backtestOptions(request));
    } catch (error) {
      const errors = (error as DomainError).details?.errors;
      if (error instanceof DomainError && Array.isArray(errors)) throw new RuleInvalidError(errors);
      throw error;
    }
    if (this.waiting.length >= (this.options.maxQueued ?? 16))
      throw new AppError(
        'SIGNALS_BACKTEST_QUEUE_FULL',
        'Too many backtests are waiting; retry when some have finished.',
      );
    const record: BacktestRecord = {
      id: crypto.randomUUID(),
      userId,
      status: 'queued',
      progress: 0,
      request,
      result: null,
      error: null,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
    };
    await this.options.store.insert(record);
    this.waiting.push({ id: record.id, request });
    this.pump();
    return record;
  }

  /** The job with its live progress, or SIGNALS_BACKTEST_NOT_FOUND (also for another user's id). */
  async get(userId: string, id: string): Promise<BacktestRecord> {
    const record = await this.options.store.get(userId, id);
    if (!record) throw new AppError('SIGNALS_BACKTEST_NOT_FOUND', 'No backtest of yours has this id.');
    const live = this.progress.get(id);
    return live === undefined || record.status !== 'running' ? record : { ...record, progress: live };
  }

  /** The user's latest jobs. */
  list(userId: string, limit = 50): Promise<BacktestRecord[]> {
    return this.options.store.list(userId, limit);
  }

  /** Cancels a queued or running job; a finished one is left as it is. */
  async cancel(userId: string, id: string): Promise<BacktestRecord> {
    const record = await this.get(userId, id);
    if (record.status !== 'queued' && record.status !== 'running') return record;
    const queued = this.waiting.findIndex((j) => j.id === id);
    if (queued >= 0) this.waiting.splice(queued, 1);
    const slot = this.slots.find((s) => s.job?.id === id);
    if (slot) {
      slot.job = null;
      const old = slot.worker;
      old.removeAllListeners();
      void old.terminate();
      this.spawn(slot);
    }
    this.progress.delete(id);
    await this.options.store.update(id, {
      status: 'canceled',
      error: { code: 'SIGNALS_BACKTEST_CANCELED', message: 'The backtest was canceled before it finished.' },
      finishedAt: new Date(),
    });
    this.pump();
    return this.get(userId, id);
  }

  /** Gives `slot` a fresh worker whose messages are routed to this slot. */
  private spawn(slot: Slot): Slot {
    slot.worker = startWorker(import.meta.url, 'backtest-worker');
    slot.worker.unref();
    slot.worker.on('message', (message: WorkerMessage) => void this.onMessage(slot, message));
    slot.worker.on('error', (error) => {
      this.options.log?.(error, 'backtest worker crashed');
      const id = slot.job?.id;
      slot.job = null;
      if (id)
        void this.finish(slot, id, {
          status: 'failed',
          error: { code: 'INTERNAL_ERROR', message: 'the backtest worker crashed' },
        });
      if (!this.stopped) this.spawn(slot);
    });
    return slot;
  }

  private async onMessage(slot: Slot, message: WorkerMessage): Promise<void> {
    if (slot.job?.id !== message.id) return;
    if (message.type === 'progress') {
      this.progress.set(message.id, message.progress);
      return;
    }
    slot.job = null;
    if (message.type === 'done')
      await this.finish(slot, message.id, { status: 'done', progress: 1, result: message.result });
    else
      await this.finish(slot, message.id, {
        status: 'failed',
        error: { code: message.code, message: message.message },
      });
  }

  private async finish(
    _slot: Slot,
    id: string,
    patch: Partial<Pick<BacktestRecord, 'status' | 'progress' | 'result' | 'error'>>,
  ): Promise<void> {
    this.progress.delete(id);
    try {
      await this.options.store.update(id, { ...patch, finishedAt: new Date() });
    } catch (error) {
      this.options.log?.(error, 'storing a backtest result failed');
    }
    this.pump();
  }

  private pump(): void {
    if (this.stopped) return;
    const count = Math.max(1, Math.min(2, this.options.workers ?? 1));
    while (this.slots.length < count && this.waiting.length > this.slots.filter((s) => !s.job).length)
      this.slots.push(this.spawn({ worker: undefined as unknown as Worker, job: null }));
    for (const slot of this.slots) {
      if (slot.job || this.waiting.length === 0) continue;
      const next = this.waiting.shift()!;
      slot.job = { id: next.id };
      this.progress.set(next.id, 0);
      void this.dispatch(slot, next);
    }
  }

  private async dispatch(slot: Slot, job: { id: string; request: BacktestRequest }): Promise<void> {
    try {
      await this.options.store.update(job.id, { status: 'running', startedAt: new Date() });
      const source = await this.options.barSource(job.request);
      if (slot.job?.id !== job.id) return;
      const message: WorkerJob = { id: job.id, request: job.request, source };
      const transfer =
        source.kind === 'columns'
          ? [source.t, source.o, source.h, source.l, source.c, source.v].map((a) => a.buffer as ArrayBuffer)
          : [];
      slot.worker.postMessage(message, transfer);
    } catch (error) {
      if (slot.job?.id !== job.id) return;
      slot.job = null;
      const code = (error as { code?: unknown }).code;
      await this.finish(slot, job.id, {
        status: 'failed',
        error: {
          code: typeof code === 'string' ? code : 'INTERNAL_ERROR',
          message: error instanceof Error ? error.message : 'loading bars failed',
        },
      });
    }
  }
}
