import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { SnapshotsResponse } from '../../../../contracts/market.js';
import { useApi } from '../../../api/api-context.js';
import { useStream } from '../../../api/stream-context.js';
import { applyQuote, applyTrade, rowFromSnapshot, type QuoteRow } from './quote-row.js';

/** How often buffered stream updates reach the screen: fast enough to feel live, slow enough to stay cheap. */
export const QUOTE_FLUSH_MS = 250;

/** Live rows for `symbols`, in their order: seeded from /api/v1/snapshots, then trades and quotes. */
export interface LiveQuotes {
  rows: readonly QuoteRow[];
  source: SnapshotsResponse['source'] | null;
  loaded: boolean;
  error: Error | null;
}

/** Seeds rows from snapshots and keeps them current from the stream; refetches after a gap. */
export function useLiveQuotes(symbols: readonly string[]): LiveQuotes {
  const api = useApi();
  const stream = useStream();
  const key = symbols.join(',');
  const snapshots = useQuery({
    queryKey: ['snapshots', key],
    queryFn: ({ signal }) => api.getSnapshots(symbols, signal),
    enabled: symbols.length > 0,
    staleTime: 0,
  });
  const [rows, setRows] = useState<{ key: string; rows: ReadonlyMap<string, QuoteRow> }>({
    key: '',
    rows: new Map(),
  });
  const { data, refetch } = snapshots;

  useEffect(() => {
    if (data === undefined) return;
    const list = key === '' ? [] : key.split(',');
    setRows({ key, rows: new Map(list.map((s) => [s, rowFromSnapshot(s, data.snapshots[s])])) });
  }, [data, key]);

  useEffect(() => {
    if (key === '') return;
    const list = key.split(',');
    let buffered: ((rows: Map<string, QuoteRow>) => void)[] = [];
    const timer = setInterval(() => {
      if (buffered.length === 0) return;
      const changes = buffered;
      buffered = [];
      setRows((prev) => {
        if (prev.key !== key) return prev;
        const next = new Map(prev.rows);
        for (const change of changes) change(next);
        return { key, rows: next };
      });
    }, QUOTE_FLUSH_MS);
    const offMessage = stream.onMessage((message) => {
      if (message.T !== 't' && message.T !== 'q') return;
      const symbol = message.S;
      buffered.push((next) => {
        const row = next.get(symbol);
        if (row === undefined) return;
        next.set(symbol, message.T === 't' ? applyTrade(row, message) : applyQuote(row, message));
      });
    });
    const offResume = stream.onResume(() => void refetch());
    const unsubscribe = stream.subscribe({ trades: list, quotes: list });
    return () => {
      clearInterval(timer);
      unsubscribe();
      offResume();
      offMessage();
    };
  }, [stream, key, refetch]);

  const list = key === '' ? [] : key.split(',');
  const live = rows.key === key ? rows.rows : null;
  return {
    rows: list.map((s) => live?.get(s) ?? rowFromSnapshot(s, undefined)),
    source: data?.source ?? null,
    loaded: data !== undefined || symbols.length === 0,
    error: snapshots.error,
  };
}
