import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { BarsResponse } from '../../../contracts/market.js';
import { useApi } from '../../api/api-context.js';
import { useStream } from '../../api/stream-context.js';
import { applyStreamBar, candlesFromHistory, mergeHistory, type Candle } from './bar-series.js';

/** Where market data comes from, as the server names it. */
export type DataSource = BarsResponse['source'];

/** The 1Min candles of one symbol: REST history kept current by the stream. */
export interface LiveCandles {
  candles: readonly Candle[];
  source: DataSource | null;
  /** True once the history request has answered. */
  loaded: boolean;
  error: Error | null;
}

/** How many 1Min bars of history the chart starts with. */
export const HISTORY_LIMIT = 500;

/**
 * History from GET /api/v1/bars, then `u`/`b` stream updates on top. History is fetched again after
 * the stream reconnects or the server asks for a resync, so a gap never stays on the chart.
 */
export function useLiveCandles(symbol: string): LiveCandles {
  const api = useApi();
  const stream = useStream();
  const history = useQuery({
    queryKey: ['bars', symbol, '1Min', HISTORY_LIMIT],
    queryFn: ({ signal }) =>
      api.getBars({ symbols: [symbol], timeframe: '1Min', limit: HISTORY_LIMIT }, signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const [live, setLive] = useState<{ symbol: string; candles: readonly Candle[] }>({ symbol, candles: [] });
  const [streamSource, setStreamSource] = useState<DataSource | null>(null);
  const refetch = useRef(history.refetch);
  useEffect(() => {
    refetch.current = history.refetch;
  });

  useEffect(() => {
    if (history.data === undefined) return;
    const base = candlesFromHistory(history.data.bars[symbol] ?? []);
    setLive((prev) => ({ symbol, candles: mergeHistory(base, prev.symbol === symbol ? prev.candles : []) }));
  }, [history.data, symbol]);

  useEffect(() => {
    let wasOpen = stream.status() === 'open';
    const offMessage = stream.onMessage((message) => {
      if ((message.T === 'u' || message.T === 'b') && message.S === symbol) {
        setLive((prev) => ({
          symbol,
          candles: applyStreamBar(prev.symbol === symbol ? prev.candles : [], message),
        }));
      } else if (message.T === 'success') {
        setStreamSource(message.source);
      } else if (message.T === 'resync') {
        void refetch.current();
      }
    });
    const offStatus = stream.onStatus((status) => {
      if (status !== 'open') return;
      if (wasOpen) void refetch.current();
      wasOpen = true;
    });
    const unsubscribe = stream.subscribe({ bars: [symbol] });
    return () => {
      unsubscribe();
      offStatus();
      offMessage();
    };
  }, [stream, symbol]);

  return {
    candles: live.symbol === symbol ? live.candles : [],
    source: streamSource ?? history.data?.source ?? null,
    loaded: history.data !== undefined,
    error: history.error,
  };
}
