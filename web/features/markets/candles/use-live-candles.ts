import { useCallback, useEffect, useRef, useState } from 'react';
import type { BarsResponse } from '../../../../contracts/market.js';
import type { StreamBar } from '../../../../contracts/stream.js';
import { useApi } from '../../../api/api-context.js';
import { useStream } from '../../../api/stream-context.js';
import { candleFromWire, candlesFromHistory, mergeBars, toSeconds, type Candle } from './bar-series.js';
import { applyMinute, bucketOf, seedSeries, timeframeOf, type LiveSeries } from './rollup.js';

/** Where market data comes from, as the server names it. */
export type DataSource = BarsResponse['source'];

/** Candles of one symbol and timeframe: REST history kept current by the stream, extendable to the left. */
export interface LiveCandles {
  candles: readonly Candle[];
  source: DataSource | null;
  /** True once the first history request has answered. */
  loaded: boolean;
  error: Error | null;
  /** True while older history is being fetched. */
  loadingOlder: boolean;
  /** True once the server has no older bars. */
  exhausted: boolean;
  /** Fetches the bars before the oldest one held (no-op while loading or once exhausted). */
  loadOlder: () => void;
}

/** How many bars of history the chart starts with, and fetches per step back. */
export const HISTORY_LIMIT = 500;

interface State {
  key: string;
  series: LiveSeries;
  source: DataSource | null;
  loaded: boolean;
  error: Error | null;
  loadingOlder: boolean;
  exhausted: boolean;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const fresh = (key: string): State => ({
  key,
  series: { candles: [], minutes: [] },
  source: null,
  loaded: false,
  error: null,
  loadingOlder: false,
  exhausted: false,
});
const toCandle = (message: StreamBar): Candle => ({
  time: toSeconds(message.t),
  open: message.o,
  high: message.h,
  low: message.l,
  close: message.c,
  volume: message.v,
  closed: message.T === 'b',
});
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

/**
 * History from GET /api/v1/bars, then the 1Min `u`/`b` stream rolled up into `timeframe` on top.
 * After a reconnect or a `resync` it backfills from the last bar held (`start=<last t>`) and merges
 * by bar time, so the chart has neither gaps nor duplicates.
 */
export function useLiveCandles(symbol: string, timeframe: string): LiveCandles {
  const api = useApi();
  const stream = useStream();
  const key = `${symbol}|${timeframe}`;
  const [state, setState] = useState<State>(() => fresh(key));
  const current = useRef(state);
  current.current = state;

  const update = useCallback(
    (change: (s: State) => State) => setState((s) => (s.key === key ? change(s) : s)),
    [key],
  );

  useEffect(() => {
    const tf = timeframeOf(timeframe);
    const controller = new AbortController();
    const { signal } = controller;
    let pending: Candle[] | null = [];
    setState(fresh(key));

    /** The 1Min bars of the bucket that `last` starts, to rebuild the forming candle exactly. */
    const minutesFor = async (last: Candle | undefined): Promise<Candle[]> => {
      if (last === undefined || timeframe === '1Min') return [];
      const response = await api.getBars(
        { symbols: [symbol], timeframe: '1Min', start: iso(bucketOf(last.time, tf)), limit: 1000 },
        signal,
      );
      return (response.bars[symbol] ?? []).map((bar) => candleFromWire(bar, false));
    };

    const load = async (): Promise<void> => {
      const response = await api.getBars({ symbols: [symbol], timeframe, limit: HISTORY_LIMIT }, signal);
      const history = candlesFromHistory(response.bars[symbol] ?? []);
      const minutes = await minutesFor(history.at(-1));
      let series = seedSeries(history, minutes, tf);
      for (const bar of pending ?? []) series = applyMinute(series, bar, tf);
      pending = null;
      update((s) => ({ ...s, series, source: response.source, loaded: true, error: null }));
    };

    const backfill = async (): Promise<void> => {
      const last = current.current.series.candles.at(-1);
      if (last === undefined || pending !== null) {
        if (pending === null) await load();
        return;
      }
      // The server's window is [start, end): starting at the last bar held re-reads it, complete.
      const response = await api.getBars(
        { symbols: [symbol], timeframe, start: iso(last.time), limit: 10_000 },
        signal,
      );
      const incoming = candlesFromHistory(response.bars[symbol] ?? []);
      const newest = incoming.at(-1) ?? last;
      const minutes = await minutesFor(newest);
      update((s) => {
        const merged = mergeBars(s.series.candles, incoming);
        const series = seedSeries(merged, minutes, tf);
        // Stream bars that arrived during the request are newer than the answer: replay the held minutes.
        let replayed = series;
        for (const minute of s.series.minutes) replayed = applyMinute(replayed, minute, tf);
        return { ...s, series: replayed, source: response.source, error: null };
      });
    };

    const fail = (error: unknown): void => {
      if (!isAbort(error)) update((s) => ({ ...s, error: asError(error), loaded: true }));
    };

    const offMessage = stream.onMessage((message) => {
      if ((message.T !== 'u' && message.T !== 'b') || message.S !== symbol) return;
      const bar = toCandle(message);
      if (pending !== null) pending.push(bar);
      else update((s) => ({ ...s, series: applyMinute(s.series, bar, tf) }));
    });
    const offResume = stream.onResume(() => void backfill().catch(fail));
    const unsubscribe = stream.subscribe({ bars: [symbol] });
    void load().catch(fail);

    return () => {
      controller.abort();
      unsubscribe();
      offResume();
      offMessage();
    };
  }, [api, stream, symbol, timeframe, key, update]);

  const loadOlder = useCallback(() => {
    const s = current.current;
    const oldest = s.series.candles[0];
    if (s.key !== key || s.loadingOlder || s.exhausted || oldest === undefined) return;
    update((x) => ({ ...x, loadingOlder: true }));
    api
      .getBars({ symbols: [symbol], timeframe, limit: HISTORY_LIMIT, end: iso(oldest.time) })
      .then((response) => {
        const older = (response.bars[symbol] ?? []).map((bar) => candleFromWire(bar, true));
        update((x) => ({
          ...x,
          loadingOlder: false,
          exhausted: older.length === 0,
          series: { ...x.series, candles: mergeBars(x.series.candles, older) },
        }));
      })
      .catch((error: unknown) => update((x) => ({ ...x, loadingOlder: false, error: asError(error) })));
  }, [api, symbol, timeframe, key, update]);

  const mine = state.key === key ? state : fresh(key);
  return {
    candles: mine.series.candles,
    source: mine.source,
    loaded: mine.loaded,
    error: mine.error,
    loadingOlder: mine.loadingOlder,
    exhausted: mine.exhausted,
    loadOlder,
  };
}
