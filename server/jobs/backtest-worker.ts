// Worker thread entry: runs backtest jobs posted by BacktestJobs, one at a time, reporting progress.
import { parentPort } from 'node:worker_threads';
import { type BacktestRequest, type BarSource, runBacktestJob } from './backtest-job.js';

/** A job posted to the worker. */
export type WorkerJob = { id: string; request: BacktestRequest; source: BarSource };

/** What the worker posts back. */
export type WorkerMessage =
  | { type: 'progress'; id: string; progress: number }
  | { type: 'done'; id: string; result: unknown }
  | { type: 'failed'; id: string; code: string; message: string };

parentPort?.on('message', (job: WorkerJob) => {
  const post = (message: WorkerMessage) => parentPort?.postMessage(message);
  try {
    const result = runBacktestJob(job.request, job.source, (progress) =>
      post({ type: 'progress', id: job.id, progress }),
    );
    post({ type: 'done', id: job.id, result });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    post({
      type: 'failed',
      id: job.id,
      code: typeof code === 'string' ? code : 'INTERNAL_ERROR',
      message:
        typeof code === 'string' && error instanceof Error
          ? error.message
          : 'the backtest failed unexpectedly',
    });
  }
});
