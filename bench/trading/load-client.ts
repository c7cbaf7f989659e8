/**
 * The open-loop load generator of bench/trading/order-ack.ts, in its own process (so its timers never
 * wait for the server's event loop). It receives one {@link LoadJob} over IPC, sends requests at exactly
 * `rate` per second for `seconds` over `connections` keep-alive sockets, and answers with one
 * {@link LoadResult}. Latency is measured twice: from the moment the request was due (open-loop, no
 * coordinated omission) and from the moment it was written.
 */
import http from 'node:http';
import { Worker } from 'node:worker_threads';

/** A symbol's prices at the start of the run, to build resting and marketable orders. */
export interface PricedSymbol {
  symbol: string;
  bid: number;
  ask: number;
}

/** What to send. */
export interface LoadJob {
  /** `orders`: POST /api/v1/orders; `get`: GET `path` (the floor). */
  kind: 'orders' | 'get';
  origin: string;
  path: string;
  token: string;
  rate: number;
  seconds: number;
  connections: number;
  /** Every n-th order is marketable (a market buy); the rest are buy limits far below the bid. */
  marketableEvery: number;
  symbols: PricedSymbol[];
  /** Prefix of the client_order_ids, unique per phase. */
  runId: string;
}

/** What happened: per-request latencies in ms and the statuses seen. */
export interface LoadResult {
  sent: number;
  completed: number;
  statuses: Record<string, number>;
  /** Request due → response complete, ms. */
  fromDue: number[];
  /** Request written → response complete, ms. */
  fromSent: number[];
  /** Whether each `fromDue` entry (same index) was a marketable order, which answers after its fill. */
  marketable: boolean[];
  /** How late the generator sent requests (p99, ms): large values mean the client was starved. */
  sendLagP99Ms: number;
  firstErrors: string[];
  wallSeconds: number;
}

function isMarketable(job: LoadJob, i: number): boolean {
  return job.kind === 'orders' && job.marketableEvery > 0 && i % job.marketableEvery === 0;
}

function orderBody(job: LoadJob, i: number): string {
  const s = job.symbols[i % job.symbols.length];
  if (!s) throw new Error('no symbols');
  const clientOrderId = `${job.runId}-${i}`;
  if (isMarketable(job, i))
    return JSON.stringify({
      symbol: s.symbol,
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: '0.01',
      client_order_id: clientOrderId,
    });
  // A buy limit ~10 % under the bid rests; a distinct price per order keeps each order unique.
  const cents = Math.floor(s.bid * 0.9 * 100) - (i % 397);
  return JSON.stringify({
    symbol: s.symbol,
    side: 'buy',
    type: 'limit',
    time_in_force: 'day',
    qty: '1',
    limit_price: (cents / 100).toFixed(2),
    client_order_id: clientOrderId,
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * The pacer: a worker thread that sleeps until each request is due and then tells this thread, which sends it.
 * Timers here (libuv's) count whole milliseconds, so a request paced by setTimeout went out up to a millisecond
 * late, and that lateness was counted as the server's latency. `Atomics.wait` sleeps to a fraction of a
 * millisecond without spinning, and the message wakes this thread's event loop at once. Times are absolute
 * (timeOrigin + now): each thread has its own `performance.now()` origin.
 */
function startPacer(startAbsMs: number, intervalMs: number, total: number): Worker {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { startAbsMs, intervalMs, total } = workerData;
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < total; i += 1) {
      const wait = startAbsMs + i * intervalMs - (performance.timeOrigin + performance.now());
      if (wait > 0) Atomics.wait(cell, 0, 0, wait);
      parentPort.postMessage(i);
    }`;
  return new Worker(code, { eval: true, workerData: { startAbsMs, intervalMs, total } });
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const url = new URL(job.path, job.origin);
  const total = Math.round(job.rate * job.seconds);
  const fromDue: number[] = [];
  const fromSent: number[] = [];
  const marketable: boolean[] = [];
  const lags: number[] = [];
  const statuses: Record<string, number> = {};
  const firstErrors: string[] = [];
  let completed = 0;
  let sent = 0;
  const start = performance.now() + 50;
  const intervalMs = 1000 / job.rate;

  const send = (i: number, due: number) =>
    new Promise<void>((resolve) => {
      const body = job.kind === 'orders' ? orderBody(job, i) : undefined;
      const written = performance.now();
      lags.push(written - due);
      const req = http.request(
        url,
        {
          agent,
          method: job.kind === 'orders' ? 'POST' : 'GET',
          headers: {
            authorization: `Bearer ${job.token}`,
            ...(body !== undefined && {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            }),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const done = performance.now();
            const status = String(res.statusCode ?? 0);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (res.statusCode !== 200 && firstErrors.length < 5)
              firstErrors.push(`${status} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`);
            fromDue.push(done - due);
            fromSent.push(done - written);
            marketable.push(isMarketable(job, i));
            completed += 1;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout after 30 s')));
      req.on('error', (error) => {
        statuses.error = (statuses.error ?? 0) + 1;
        if (firstErrors.length < 5) firstErrors.push(String(error));
        resolve();
      });
      req.end(body);
    });

  const inFlight: Promise<void>[] = [];
  await new Promise<void>((resolve, reject) => {
    const pacer = startPacer(performance.timeOrigin + start, intervalMs, total);
    pacer.on('message', (i: number) => {
      inFlight.push(send(i, start + i * intervalMs));
      sent += 1;
      if (sent >= total) resolve();
    });
    pacer.once('error', reject);
  });
  await Promise.all(inFlight);
  agent.destroy();
  lags.sort((a, b) => a - b);
  return {
    sent,
    completed,
    statuses,
    fromDue,
    fromSent,
    marketable,
    sendLagP99Ms: Math.round(percentile(lags, 99) * 100) / 100,
    firstErrors,
    wallSeconds: Math.round((performance.now() - start) / 100) / 10,
  };
}

process.on('message', (message: LoadJob) => {
  void runLoad(message).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`load client failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
