import type { Backtest, Signal, SignalFiring } from '../../../contracts/signals.js';
import type { BacktestRecord, FiringRecord, SignalRecord } from '../../signals/signal-store.js';

const iso = (t: number | Date | null) => (t === null ? null : new Date(t).toISOString());

/** A signal on the wire. */
export function presentSignal(r: SignalRecord): Signal {
  return {
    id: r.id,
    name: r.name,
    source: r.source,
    symbols: [...r.symbols],
    timeframe: r.timeframe,
    mode: r.mode,
    cooldownBars: r.cooldownBars,
    expiresAt: iso(r.expiresAt),
    actions: { notify: [...r.actions.notify], order: r.actions.order },
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** A firing on the wire. */
export function presentFiring(r: FiringRecord): SignalFiring {
  return {
    id: r.id,
    signalId: r.signalId,
    symbol: r.symbol,
    timeframe: r.timeframe,
    barTime: new Date(r.barTime).toISOString(),
    bar: r.bar,
    values: { ...r.values },
    firedAt: r.firedAt.toISOString(),
    catchUp: r.catchUp,
    order: r.order,
  };
}

/** A backtest job on the wire (the report only once done). */
export function presentBacktest(r: BacktestRecord): Backtest {
  return {
    id: r.id,
    status: r.status,
    progress: r.progress,
    request: r.request,
    result: (r.result ?? null) as Backtest['result'],
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
  };
}
