import type { CursorChange, EngineSignal, SignalCursor } from './signal-engine.js';

/** What a signal does when it fires, besides the in-app record every firing gets. */
export interface SignalActions {
  /** Notification channel ids of the user (delivered through the notification system's sink). */
  readonly notify: readonly string[];
  /** A market order per firing, keyed `signal:<signalId>:<symbol>:<barTime>` so a retry never doubles it. */
  readonly order: { readonly side: 'buy' | 'sell'; readonly qty: string } | null;
}

/** A stored signal: a rule over symbols and a timeframe, its firing policy and actions. */
export interface SignalRecord extends EngineSignal {
  readonly name: string;
  readonly actions: SignalActions;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What PATCH may change. */
export type SignalPatch = Partial<
  Pick<
    SignalRecord,
    | 'name'
    | 'source'
    | 'symbols'
    | 'timeframe'
    | 'mode'
    | 'cooldownBars'
    | 'expiresAt'
    | 'actions'
    | 'enabled'
  >
>;

/** The order a firing placed (or why not). */
export interface FiringOrder {
  readonly clientOrderId: string;
  readonly status: 'placed' | 'failed' | 'skipped';
  readonly orderId: string | null;
  readonly detail: string | null;
}

/** One stored firing: the bar it fired at and the operand values that made the rule true. */
export interface FiringRecord {
  readonly id: string;
  readonly signalId: string;
  readonly userId: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly barTime: number;
  readonly bar: { t: number; o: number; h: number; l: number; c: number; v: number };
  readonly values: Readonly<Record<string, number | null>>;
  readonly firedAt: Date;
  readonly catchUp: boolean;
  readonly order: FiringOrder | null;
}

/** Signals, their cursors and firings; reads are scoped to the owner (another user's id behaves as unknown). */
/** Which version of a signal is current (see {@link SignalStore.enabledVersions}). */
export interface SignalVersion {
  readonly id: string;
  readonly userId: string;
  readonly updatedAt: Date;
}

export interface SignalStore {
  list(userId: string): Promise<SignalRecord[]>;
  get(userId: string, id: string): Promise<SignalRecord | undefined>;
  count(userId: string): Promise<number>;
  insert(record: SignalRecord): Promise<void>;
  /** Applies the patch; `resetCursors` forgets where each symbol stood (the rule or its bars changed). */
  update(
    userId: string,
    id: string,
    patch: SignalPatch,
    resetCursors: boolean,
  ): Promise<SignalRecord | undefined>;
  delete(userId: string, id: string): Promise<boolean>;
  /** Every enabled signal of every user, for the live engine. */
  listEnabled(): Promise<SignalRecord[]>;
  /** Cursors of a signal, by symbol. */
  cursors(signalId: string): Promise<Map<string, SignalCursor>>;
  saveCursors(changes: readonly CursorChange[]): Promise<void>;
  /** The id and version (`updatedAt`) of every enabled signal: what a live engine should be running. */
  enabledVersions(): Promise<SignalVersion[]>;
  /**
   * Stores a firing once per (signal, symbol, bar), and only while the signal is still enabled at `version`
   * (its `updatedAt`): a process that missed an edit, a disable or a delete made on another node stores
   * nothing, so nothing is notified or placed for a rule the user no longer has. False when nothing was
   * stored (already stored, or the signal changed).
   */
  insertFiring(firing: FiringRecord, version: Date): Promise<boolean>;
  setFiringOrder(firingId: string, order: FiringOrder): Promise<void>;
  listFirings(
    userId: string,
    signalId: string,
    options: { limit: number; before?: number },
  ): Promise<FiringRecord[]>;
}

/** A backtest job's state. */
export type BacktestStatus = 'queued' | 'running' | 'done' | 'failed' | 'canceled';

/** A stored backtest job. */
export interface BacktestRecord {
  readonly id: string;
  readonly userId: string;
  readonly status: BacktestStatus;
  readonly progress: number;
  /** The request as given (JSON). */
  readonly request: unknown;
  /** The report (JSON) once done. */
  readonly result: unknown;
  readonly error: { code: string; message: string } | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

/** Backtest jobs; reads are scoped to the owner. */
export interface BacktestStore {
  insert(record: BacktestRecord): Promise<void>;
  get(userId: string, id: string): Promise<BacktestRecord | undefined>;
  list(userId: string, limit: number): Promise<BacktestRecord[]>;
  update(
    id: string,
    patch: Partial<
      Pick<BacktestRecord, 'status' | 'progress' | 'result' | 'error' | 'startedAt' | 'finishedAt'>
    >,
  ): Promise<void>;
  /** Jobs left queued or running (by a process that stopped). */
  listUnfinished(): Promise<BacktestRecord[]>;
}
