import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { useApi } from '../../../api/api-context.js';
import type { ChartCandle } from '../../../ui/chart/candle-chart.js';
import type { Candle } from './bar-series.js';
import { timeframeOf } from './rollup.js';
import { calendarRange, isExtendedBar, sessionsFromCalendar, type RegularSessions } from './sessions.js';

/**
 * The candles as the chart takes them, each marked when it lies outside the regular session (from
 * /api/v1/calendar). A candle that did not change keeps its chart object, so the chart can update
 * just the tail.
 */
export function useChartCandles(candles: readonly Candle[], timeframe: string): readonly ChartCandle[] {
  const api = useApi();
  const tf = useMemo(() => timeframeOf(timeframe), [timeframe]);
  const intraday = tf.unit === 'Min' || tf.unit === 'Hour';
  const first = candles[0]?.time;
  const last = candles.at(-1)?.time;
  const range = first === undefined || last === undefined ? null : calendarRange(first, last);
  const calendar = useQuery({
    queryKey: ['calendar', range?.start, range?.end],
    queryFn: ({ signal }) => api.getCalendar(range?.start ?? '', range?.end ?? '', signal),
    enabled: intraday && range !== null,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
  const sessions = useMemo<RegularSessions | null>(
    () => (calendar.data === undefined ? null : sessionsFromCalendar(calendar.data)),
    [calendar.data],
  );
  const cache = useRef<{ key: unknown; map: WeakMap<Candle, ChartCandle> }>({
    key: null,
    map: new WeakMap(),
  });
  return useMemo(() => {
    const key = `${timeframe}|${sessions === null ? 'none' : calendar.dataUpdatedAt}`;
    if (cache.current.key !== key) cache.current = { key, map: new WeakMap() };
    const { map } = cache.current;
    return candles.map((candle) => {
      let shown = map.get(candle);
      if (shown === undefined) {
        const extended = intraday && sessions !== null && isExtendedBar(candle.time, tf, sessions);
        shown = { ...candle, extended };
        map.set(candle, shown);
      }
      return shown;
    });
  }, [candles, timeframe, sessions, intraday, calendar.dataUpdatedAt, tf]);
}
