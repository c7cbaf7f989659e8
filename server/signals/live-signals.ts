import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type Bar, type BarHistory, bucketStart, parseTimeframe } from '../../core/market-data/index.js';
import type { NewOrderRequest } from '../../core/trading/index.js';
import type { MarketUpdate } from '../market/live-market.js';
import { recentBars } from './recent-bars.js';
import { type ColdStream, type EngineFiring, SignalEngine } from './signal-engine.js';
import type { SignalSink } from './signal-sink.js';
import type { FiringOrder, FiringRecord, SignalRecord, SignalStore } from './signal-store.js';

/** Places a signal's order through the trading use case (the same guards as a ticket); resolves to the order id. */
export type SignalOrderPlacer = (userId: string, request: NewOrderRequest) => Promise<{ id: string }>;

/** What the live signals service is built from. */
export interface LiveSignalsOptions {
  readonly store: SignalStore;
  readonly history: BarHistory;
  readonly market: { subscribe(listener: (updates: readonly MarketUpdate[]) => void): () => void };
  /** Market time. */
  readonly now: () => number;
  readonly sinks?: readonly SignalSink[];
  /** Omitted: order actions are stored as intents (status `skipped`), not placed. */
  readonly placeOrder?: SignalOrderPlacer;
  /** Bars of history a restart may catch up on per (signal, symbol); 500 by default. */
  readonly catchUpBars?: number;
  /**
   * With several nodes: how often to bring this node's signals in line with the database (signals created,
   * edited, disabled or deleted through another node). Omitted: never (one node sees every change itself).
   */
  readonly reconcileMs?: number;
  readonly log?: (error: unknown, message: string) => void;
}

/** The idempotency key (client_order_id) of the order a firing places. */
export function signalOrderKey(signalId: string, symbol: string, barTime: number): string {
  return `signal:${signalId}:${symbol}:${barTime}`;
}

/**
 * Runs every enabled signal on live bars: closed 1Min bars from the live market are rolled up per timeframe and
 * evaluated at bar close by the {@link SignalEngine}; each firing is stored once (the in-app record), then given
 * to the sinks and, for an order action, placed with an idempotency key. Work is serialised on one queue, so
 * warm-ups, edits and bars never interleave; cursors are persisted after every batch.
 */
export class LiveSignals {
  readonly engine = new SignalEngine();
  private readonly signals = new Map<string, SignalRecord>();
  private queue: Promise<unknown> = Promise.resolve();
  private stopMarket: (() => void) | undefined;
  private reconciler: NodeJS.Timeout | undefined;
  private reconciling = false;
  private started = false;
  /** Milliseconds the last batch of bars took to evaluate (engine only, no I/O). */
  lastEvaluationMs = 0;

  constructor(private readonly options: LiveSignalsOptions) {}

  get isStarted(): boolean {
    return this.started;
  }

  /** Loads every enabled signal, warms it from history (catching up from its cursors), then follows the market. */
  async start(): Promise<void> {
    const enabled = await this.options.store.listEnabled();
    const warming = this.run(async () => {
      for (const signal of enabled) await this.addNow(signal, true);
    });
    // Bars published while warming queue behind it; the rollers drop minutes the history already covered.
    this.stopMarket = this.options.market.subscribe((updates) => {
      const bars: Bar[] = [];
      for (const u of updates) if (u.kind === 'bar') bars.push(u.bar);
      void this.run(() => this.onBars(bars));
    });
    await warming;
    this.started = true;
    const every = this.options.reconcileMs;
    if (every !== undefined) {
      this.reconciler = setInterval(() => {
        // One at a time: a slow database never piles reconciliations up on the queue.
        if (this.reconciling) return;
        this.reconciling = true;
        void this.reconcile()
          .catch((error: unknown) => this.options.log?.(error, 'reconciling live signals failed'))
          .finally(() => (this.reconciling = false));
      }, every);
      this.reconciler.unref();
    }
  }

  /** Stops following the market and waits for queued work. */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.reconciler);
    this.stopMarket?.();
    await this.queue;
  }

  /**
   * Brings the running signals in line with the database: starts signals this process has not seen or has
   * at an older version, stops those no longer enabled. Another node's edits reach this one this way; until
   * they do, the version check on storing a firing keeps a stale rule from notifying or placing anything.
   */
  reconcile(): Promise<void> {
    return this.run(async () => {
      const { store } = this.options;
      const current = new Map((await store.enabledVersions()).map((v) => [v.id, v]));
      for (const id of [...this.signals.keys()]) if (!current.has(id)) this.removeNow(id);
      for (const version of current.values()) {
        const running = this.signals.get(version.id);
        if (running && running.updatedAt.getTime() === version.updatedAt.getTime()) continue;
        const signal = await store.get(version.userId, version.id);
        if (signal?.enabled) await this.addNow(signal, true);
        else this.removeNow(version.id);
      }
    });
  }

  /** Starts (or restarts after an edit) evaluating a signal; a disabled signal is removed. */
  upsert(signal: SignalRecord): Promise<void> {
    return this.run(async () => {
      if (!signal.enabled) this.removeNow(signal.id);
      else await this.addNow(signal, true);
    });
  }

  /** Stops evaluating a signal. */
  remove(signalId: string): Promise<void> {
    return this.run(async () => this.removeNow(signalId));
  }

  /** Evaluates closed 1Min bars (as the market publishes them) and closes buckets whose end has passed. */
  async onBars(bars: readonly Bar[]): Promise<void> {
    const started = performance.now();
    const firings: EngineFiring[] = [];
    for (const bar of bars) this.engine.onMinute(bar, firings);
    this.engine.closeDue(this.options.now(), firings);
    this.lastEvaluationMs = performance.now() - started;
    await this.handle(firings);
  }

  private run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch((error: unknown) => this.options.log?.(error, 'live signals task failed'));
    return next;
  }

  private removeNow(signalId: string): void {
    this.engine.remove(signalId);
    this.signals.delete(signalId);
  }

  private async addNow(signal: SignalRecord, resume: boolean): Promise<void> {
    const cursors = resume ? await this.options.store.cursors(signal.id) : new Map();
    this.signals.set(signal.id, signal);
    const cold = this.engine.add(signal, cursors);
    const firings: EngineFiring[] = [];
    for (const stream of cold) firings.push(...(await this.warm(stream)));
    await this.handle(firings);
  }

  /** Complete bars before the forming bucket, then the forming bucket's minutes so far into a new lane's roller. */
  private async warm(cold: ColdStream): Promise<EngineFiring[]> {
    const { lane } = cold;
    const now = this.options.now();
    const formingStart = bucketStart(now, lane.timeframe);
    const count = Math.min(
      6_000,
      Math.max(cold.warmup * 2, cold.warmup + 250) + (this.options.catchUpBars ?? 500),
    );
    const bars = await recentBars(this.options.history, lane.symbol, lane.timeframe, count, formingStart);
    const firings = this.engine.warm(cold, bars);
    if (lane.roller.lastMinuteAt === Number.NEGATIVE_INFINITY && !(lane.timeframeText === '1Min')) {
      const minute = parseTimeframe('1Min')!;
      const minutes = await this.options.history.bars(
        lane.symbol,
        minute,
        formingStart,
        bucketStart(now, minute),
      );
      for (const bar of minutes)
        for (const closed of lane.roller.push(bar)) this.engine.onBar(lane, closed, firings);
    }
    return firings;
  }

  private async handle(firings: readonly EngineFiring[]): Promise<void> {
    const { store } = this.options;
    for (const f of firings) {
      const signal = this.signals.get(f.signalId);
      if (!signal) continue;
      const order = signal.actions.order;
      const record: FiringRecord = {
        id: crypto.randomUUID(),
        signalId: f.signalId,
        userId: f.userId,
        symbol: f.symbol,
        timeframe: f.timeframe,
        barTime: f.bar.t,
        bar: { t: f.bar.t, o: f.bar.o, h: f.bar.h, l: f.bar.l, c: f.bar.c, v: f.bar.v },
        values: f.values,
        firedAt: new Date(),
        catchUp: f.catchUp,
        order: order ? this.intent(signal, f) : null,
      };
      try {
        if (!(await store.insertFiring(record, signal.updatedAt))) continue;
        for (const sink of this.options.sinks ?? []) {
          await sink
            .deliver(record, signal)
            .catch((error: unknown) => this.options.log?.(error, 'signal sink failed'));
        }
        if (order && record.order?.status === 'skipped' && this.options.placeOrder && !f.catchUp)
          await store.setFiringOrder(record.id, await this.place(signal, f, order));
      } catch (error) {
        this.options.log?.(error, 'storing a signal firing failed');
      }
    }
    const changes = this.engine.takeChanges();
    if (changes.length > 0) await store.saveCursors(changes);
  }

  private intent(signal: SignalRecord, f: EngineFiring): FiringOrder {
    const clientOrderId = signalOrderKey(signal.id, f.symbol, f.bar.t);
    const detail = !this.options.placeOrder
      ? 'stored as an intent: trading is not available in this process'
      : f.catchUp
        ? 'not placed: decided while catching up after a restart, the bar is past'
        : 'placing';
    return { clientOrderId, status: 'skipped', orderId: null, detail };
  }

  private async place(
    signal: SignalRecord,
    f: EngineFiring,
    order: NonNullable<SignalRecord['actions']['order']>,
  ): Promise<FiringOrder> {
    const clientOrderId = signalOrderKey(signal.id, f.symbol, f.bar.t);
    try {
      const placed = await this.options.placeOrder!(signal.userId, {
        symbol: f.symbol,
        side: order.side,
        type: 'market',
        timeInForce: 'day',
        qty: order.qty,
        clientOrderId,
      });
      return { clientOrderId, status: 'placed', orderId: placed.id, detail: null };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      return {
        clientOrderId,
        status: 'failed',
        orderId: null,
        detail: typeof code === 'string' ? `${code}: ${message}` : message,
      };
    }
  }
}
