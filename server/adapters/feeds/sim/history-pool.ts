import type { Worker } from 'node:worker_threads';
import type { Bar, Timeframe } from '../../../../core/market-data/index.js';
import { startWorker } from '../../../worker-thread.js';
import type { HistoryRequest, HistoryResponse } from './history-worker.js';

interface Pending {
  resolve: (bars: Bar[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Options of the pool. */
export interface HistoryPoolOptions {
  seed: string;
  /** Requests waiting or running at most; more are refused (the caller computes inline or fails). */
  maxPending?: number;
  timeoutMs?: number;
}

/** Computes simulated bars on a worker thread, off the request event loop. */
export class SimHistoryPool {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | undefined;

  constructor(private readonly options: HistoryPoolOptions) {
    this.worker = startWorker(import.meta.url, 'history-worker', { seed: options.seed });
    this.worker.unref();
    this.worker.on('message', (message: HistoryResponse) => this.settle(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`history worker exited with code ${code}`)));
  }

  /** True when another request would exceed the bound. */
  get busy(): boolean {
    return this.failed !== undefined || this.pending.size >= (this.options.maxPending ?? 64);
  }

  /** The simulator's bars for [start, end), computed on the worker. */
  bars(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<Bar[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<Bar[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`history worker did not answer within ${this.options.timeoutMs ?? 15_000} ms`));
      }, this.options.timeoutMs ?? 15_000);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, symbol, timeframe, start, end } satisfies HistoryRequest);
    });
  }

  async close(): Promise<void> {
    this.fail(new Error('history pool closed'));
    await this.worker.terminate();
  }

  private settle(message: HistoryResponse): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    clearTimeout(entry.timer);
    if ('error' in message) entry.reject(new Error(message.error));
    else entry.resolve(message.bars);
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(error);
      this.pending.delete(id);
    }
  }
}
