import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlBacktestStore } from '../adapters/db/sql-backtest-store.js';
import { SqlUserStore } from '../adapters/db/sql-stores.js';
import type { BacktestRecord } from '../signals/signal-store.js';
import { freshPglite, type TestDatabase } from '../testing/databases.js';
import { type BacktestRequest, runBacktestJob } from './backtest-job.js';
import { BacktestJobs } from './backtest-jobs.js';

const DAILY: BacktestRequest = {
  symbol: 'MSFT',
  timeframe: '1Day',
  from: '2024-01-01',
  to: '2024-06-30',
  entry: 'crossover(sma(close, 5), sma(close, 20))',
  exit: 'crossunder(sma(close, 5), sma(close, 20))',
  side: 'long',
  initialCash: '100000',
  slippageBps: 5,
  commission: '1',
};
const HEAVY: BacktestRequest = { ...DAILY, timeframe: '1Min', from: '2023-01-01', to: '2024-06-30' };

describe('BacktestJobs', () => {
  let database: TestDatabase;
  let jobs: BacktestJobs;
  let userId: string;

  async function settled(id: string): Promise<BacktestRecord> {
    for (let i = 0; i < 600; i++) {
      const record = await jobs.get(userId, id);
      if (record.status !== 'queued' && record.status !== 'running') return record;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('job did not finish');
  }

  beforeAll(async () => {
    database = await freshPglite();
    userId = crypto.randomUUID();
    await new SqlUserStore(database.handle.db).insert({
      id: userId,
      email: 'q@example.com',
      passwordHash: 'x',
      role: 'trader',
    });
    jobs = new BacktestJobs({
      store: new SqlBacktestStore(database.handle.db),
      barSource: async () => ({ kind: 'sim', seed: 'jobs' }),
      maxQueued: 1,
    });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs.stop();
    await database.dispose();
  });

  it('runs a backtest in a worker thread and stores the same report as an in-process run', async () => {
    const queued = await jobs.submit(userId, DAILY);
    expect(queued.status).toBe('queued');
    const done = await settled(queued.id);
    expect(done).toMatchObject({ status: 'done', progress: 1, error: null });
    expect(done.result).toEqual(runBacktestJob(DAILY, { kind: 'sim', seed: 'jobs' }));
    expect((await jobs.list(userId, 10)).map((r) => r.id)).toContain(queued.id);
    await expect(jobs.get(crypto.randomUUID(), queued.id)).rejects.toMatchObject({
      code: 'SIGNALS_BACKTEST_NOT_FOUND',
    });
  });

  it('cancels a running job, refuses work past the queue bound, and keeps serving after', async () => {
    const heavy = await jobs.submit(userId, HEAVY);
    const waiting = await jobs.submit(userId, DAILY);
    await expect(jobs.submit(userId, DAILY)).rejects.toMatchObject({ code: 'SIGNALS_BACKTEST_QUEUE_FULL' });
    for (let i = 0; i < 200 && (await jobs.get(userId, heavy.id)).status !== 'running'; i++)
      await new Promise((r) => setTimeout(r, 20));
    const canceled = await jobs.cancel(userId, heavy.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.error?.code).toBe('SIGNALS_BACKTEST_CANCELED');
    expect((await settled(waiting.id)).status).toBe('done');
    expect((await jobs.get(userId, heavy.id)).status).toBe('canceled');
  });

  it('refuses a rule that does not check before queuing, with its line and column', async () => {
    await expect(jobs.submit(userId, { ...DAILY, exit: 'close <' })).rejects.toMatchObject({
      code: 'SIGNALS_RULE_INVALID',
      errors: [expect.objectContaining({ line: 1 })],
    });
  });
});
